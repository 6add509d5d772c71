//! What the cron trigger does each minute, in order: put lost relay,
//! withdrawal and supplement jobs back on the queue, poll departments without
//! webhooks, run the SLA watchdog, send waiting text messages and ratings,
//! purge what is kept no longer (`store::retention`). Each step is
//! independent: one failing does not stop the others.

use banshi_core::catalog::Catalog;
use worker::Env;

use crate::store::Store;
use crate::{evaluation, notify, poll, relay, watchdog};

/// `now` is the trigger's scheduled time, so a run is about the minute it
/// was scheduled for (and tests can ask for a run "three days later");
/// only the sweeper reads the real clock (see there).
pub async fn run(env: &Env, now: i64) {
    let Ok(store) = Store::new(env) else {
        worker::console_error!("cron: no store");
        return;
    };
    let catalog = Catalog::embedded();
    // Found stale a minute after it was due; leased for five, so one merely
    // waiting in a queue backlog is not enqueued again each minute. On the
    // real clock, whatever time the run is "for": the question is whether a
    // queue job was lost, and the queue runs on the real clock. (On a run
    // "11 minutes later" each tick, every lease had run out each time, and
    // the sweeper put 200 jobs back on a 4,000-job backlog every 4 s.)
    let real = crate::http::now().timestamp_millis();
    let (stale, lease) = (real - 60_000, real + 5 * 60_000);
    match store.stalled_relays(stale, lease).await {
        Ok(ids) if !ids.is_empty() => {
            if let Err(e) = relay::enqueue(env, &ids, 0).await {
                worker::console_error!("sweeper: {e:?}");
            }
        }
        Ok(_) => {}
        Err(e) => worker::console_error!("sweeper: {e:?}"),
    }
    match store.stalled_withdrawals(stale, lease).await {
        Ok(ids) if !ids.is_empty() => {
            if let Err(e) = relay::enqueue_withdrawals(env, &ids, 0).await {
                worker::console_error!("sweeper (withdrawals): {e:?}");
            }
        }
        Ok(_) => {}
        Err(e) => worker::console_error!("sweeper (withdrawals): {e:?}"),
    }
    match store.stalled_supplements(stale, lease).await {
        Ok(ids) if !ids.is_empty() => {
            if let Err(e) = relay::enqueue_supplements(env, &ids, 0).await {
                worker::console_error!("sweeper (supplements): {e:?}");
            }
        }
        Ok(_) => {}
        Err(e) => worker::console_error!("sweeper (supplements): {e:?}"),
    }
    if let Err(e) = poll::run(env, &store, catalog, now).await {
        worker::console_error!("poll: {e:?}");
    }
    if let Err(e) = watchdog::run(&store, catalog, now).await {
        worker::console_error!("watchdog: {e:?}");
    }
    if let Err(e) = notify::flush(env, &store, now, 50).await {
        worker::console_error!("sms: {e:?}");
    }
    if let Err(e) = notify::flush_texts(env, &store, now, 50).await {
        worker::console_error!("texts: {e:?}");
    }
    if let Err(e) = evaluation::retry(env, &store, catalog, now).await {
        worker::console_error!("ratings: {e:?}");
    }
    // Retention counts from the real clock: a run "for" a later time (local
    // tests) must not purge what is not yet due.
    if let Err(e) = store
        .purge(crate::http::now().timestamp_millis().min(now))
        .await
    {
        worker::console_error!("retention: {e:?}");
    }
}
