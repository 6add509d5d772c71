//! Banshi's edge: a Cloudflare Worker. One submission becomes one relay job
//! per department item; department answers come back through signed
//! webhooks and become one truthful picture for the resident.
//!
//! This file only holds the runtime's entry points; see `router` for the
//! API, `store` for storage, `relay` and `intake` for the two directions,
//! `cron` for what runs every minute.

mod acting;
mod config;
mod cron;
mod error;
mod evaluation;
mod handlers;
mod http;
mod intake;
mod maintenance;
mod notify;
mod platform;
mod poll;
mod relay;
mod router;
mod security;
mod store;
mod watchdog;
mod withdraw;

use banshi_core::catalog::Catalog;
use worker::{
    event, Context, Env, MessageBatch, MessageExt, Request, Response, ScheduleContext,
    ScheduledEvent,
};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> worker::Result<Response> {
    // Everything reaches the worker first, so every answer gets the same
    // security headers: `/api/*` is ours, anything else is the app's files.
    if !req.path().starts_with("/api/") && req.path() != "/api" {
        let assets = env.assets(config::ASSETS)?;
        let copy = req.clone()?;
        let resp = assets.fetch_request(security::unconditional(req)?).await?;
        return security::app(&copy, resp)
            .await
            .or_else(|e| Ok(e.into_response()));
    }
    let copy = req.clone()?;
    let resp = router::route(req, env, ctx)
        .await
        .unwrap_or_else(|e| e.into_response());
    Ok(security::api(&copy, resp).unwrap_or_else(|e| e.into_response()))
}

#[event(queue)]
async fn queue(
    batch: MessageBatch<relay::RelayJob>,
    env: Env,
    _ctx: Context,
) -> worker::Result<()> {
    let store = match store::Store::new(&env) {
        Ok(s) => s,
        Err(e) => {
            worker::console_error!("queue: no store: {e:?}");
            batch.retry_all();
            return Ok(());
        }
    };
    // Each message is its own item: relay them side by side, so a batch
    // costs its slowest call, not the sum of ten. (Miniflare's local queue
    // hands out one batch at a time and waits for it.) Two jobs for one
    // item are safe together: the relay claims by revision, and
    // departments de-duplicate on the external id.
    let messages = batch.messages()?;
    futures_util::future::join_all(messages.iter().map(|m| relay_message(&env, &store, m))).await;
    Ok(())
}

async fn relay_message(
    env: &Env,
    store: &store::Store,
    message: &worker::Message<relay::RelayJob>,
) {
    let job = message.body();
    let now = http::now().timestamp_millis();
    match relay::run(env, store, Catalog::embedded(), job, now).await {
        Ok(relay::Next::Done) => message.ack(),
        // Re-send with a delay rather than `retry`, so a long outage never
        // exhausts the queue's retry budget: we keep trying.
        Ok(relay::Next::RetryIn(secs)) => match relay::requeue(env, job, secs).await {
            Ok(()) => message.ack(),
            Err(_) => message.retry(),
        },
        Err(e) => {
            worker::console_error!("relay {}: {e:?}", job.item);
            message.retry();
        }
    }
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    cron::run(&env, event.schedule() as i64).await;
}
