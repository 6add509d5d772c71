-- wrk script: POST /api/applications with a fresh Idempotency-Key per request,
-- so each request is a real new submission (the replay path is measured apart).
wrk.body = os.getenv("BENCH_BODY")
local counter = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = "bench-" .. prefix .. "-" .. counter
  return wrk.format("POST", "/api/applications", wrk.headers, wrk.body)
end
