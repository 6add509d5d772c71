-- wrk script: POST /api/applications with a fresh Idempotency-Key per request,
-- so each request is a real new submission (the replay path is measured apart).
-- Counts answers by status and keeps one body per non-2xx status, so a
-- failure under load says what it was.
wrk.body = os.getenv("BENCH_BODY")
local counter = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
local threads = {}
statuses = {}
samples = {}

-- Each wrk thread has its own Lua state (and the same unseeded random
-- numbers), so keys carry a thread id set here; otherwise two threads would
-- send the same keys and measure idempotent replays instead of submissions.
local next_id = 0
thread_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = "bench-" .. prefix .. "-" .. thread_id .. "-" .. counter
  return wrk.format("POST", "/api/applications", wrk.headers, wrk.body)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and samples[status] == nil then
    samples[status] = string.sub(body or "", 1, 300)
  end
end

done = function(summary, latency, requests)
  local total, sample = {}, {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
    for status, body in pairs(t:get("samples")) do
      sample[status] = body
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
  for status, body in pairs(sample) do
    io.write(string.format("sample %d: %s\n", status, body))
  end
end
