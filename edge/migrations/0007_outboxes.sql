-- Every outbox row has attempts, a next try (backoff) and a terminal state
-- an operator can see (issue 12): relays, supplements, withdrawals, texts and
-- ratings. Poll-only items remember when they were last polled, so none is
-- starved behind items whose polls find nothing.

-- Relay: the last HTTP status the department answered (0: no answer in
-- time); relay_state 'following_up' is terminal (a permanent refusal).
ALTER TABLE application_items ADD COLUMN last_relay_status INTEGER;
ALTER TABLE application_items ADD COLUMN last_polled_at INTEGER;
-- A withdrawal the department has not confirmed yet: NULL, 'pending',
-- 'done', or 'following_up' (refused for good); retried like a relay.
ALTER TABLE application_items ADD COLUMN withdraw_state TEXT;
ALTER TABLE application_items ADD COLUMN withdraw_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application_items ADD COLUMN withdraw_next_at INTEGER;
CREATE INDEX items_withdrawing ON application_items (withdraw_state, withdraw_next_at);
CREATE INDEX items_polled ON application_items (department, relay_state, last_polled_at);

ALTER TABLE supplements ADD COLUMN last_status INTEGER;

-- Texts: the next try after a failure (none sooner).
ALTER TABLE notifications ADD COLUMN next_at INTEGER;

-- Ratings: next try, last answer, and when we gave up (terminal).
ALTER TABLE ratings ADD COLUMN next_at INTEGER;
ALTER TABLE ratings ADD COLUMN last_status INTEGER;
ALTER TABLE ratings ADD COLUMN gave_up_at INTEGER;
