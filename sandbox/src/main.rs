//! banshi-sandbox: plays the backend platforms Banshi's edge talks to — the
//! identity provider and every department in the catalog — over plain HTTP,
//! exactly as the real ones would be reached. A test double: never linked
//! into the edge.
//!
//! Usage: banshi-sandbox [--port 8788] [--edge-url http://127.0.0.1:8787] [--seed 1]
//!        [--step-ms 1500]; secrets from BANSHI_DEPARTMENT_KEY / BANSHI_IDP_CLIENT_SECRET.

mod control;
mod departments;
mod idp;
mod residents;
mod rng;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::routing::{get, post, put};
use axum::Router;

pub struct Config {
    pub edge_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub department_key: String,
    pub step_ms: u64,
}

#[derive(Default)]
pub struct Inner {
    pub rng: rng::Rng,
    pub grants: HashMap<String, idp::Grant>,
    pub tokens: HashMap<String, String>,
    pub departments: HashMap<String, departments::Department>,
}

impl Default for rng::Rng {
    fn default() -> Self {
        rng::Rng::new(1)
    }
}

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub inner: Arc<Mutex<Inner>>,
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

pub fn app(state: AppState) -> Router {
    Router::new()
        .route(
            "/oauth/authorize",
            get(idp::authorize_page).post(idp::authorize_submit),
        )
        .route("/oauth/token", post(idp::token))
        .route("/oauth/userinfo", get(idp::userinfo))
        .route(
            "/departments/{dept}/applications",
            post(departments::receive),
        )
        .route(
            "/departments/{dept}/applications/{external_id}/withdraw",
            post(departments::withdraw),
        )
        .route("/_sandbox/health", get(control::health))
        .route(
            "/_sandbox/departments/{dept}/scenario",
            put(control::set_scenario),
        )
        .route(
            "/_sandbox/departments/{dept}/received",
            get(control::received),
        )
        .with_state(state)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = arg(&args, "--port")
        .and_then(|p| p.parse().ok())
        .unwrap_or(8788);
    let seed: u64 = arg(&args, "--seed")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let step_ms: u64 = arg(&args, "--step-ms")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1500);
    let config = Config {
        edge_url: arg(&args, "--edge-url").unwrap_or_else(|| "http://127.0.0.1:8787".into()),
        client_id: "banshi".into(),
        client_secret: std::env::var("BANSHI_IDP_CLIENT_SECRET")
            .unwrap_or_else(|_| "sandbox-client-secret".into()),
        department_key: std::env::var("BANSHI_DEPARTMENT_KEY")
            .unwrap_or_else(|_| "sandbox-department-key".into()),
        step_ms,
    };
    let state = AppState {
        config: Arc::new(config),
        inner: Arc::new(Mutex::new(Inner {
            rng: rng::Rng::new(seed),
            ..Inner::default()
        })),
    };
    {
        // Every department starts with the configured pace.
        let mut inner = state.inner.lock().expect("sandbox state");
        for d in banshi_core::Catalog::embedded().departments() {
            inner
                .departments
                .entry(d.id.clone())
                .or_default()
                .scenario
                .step_ms = step_ms;
        }
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap_or_else(|e| panic!("sandbox: cannot listen on 127.0.0.1:{port}: {e}"));
    eprintln!("sandbox: platforms on http://127.0.0.1:{port} (seed {seed})");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        })
        .await
        .expect("sandbox server");
}
