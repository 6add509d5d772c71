//! banshi-sandbox: plays the backend platforms Banshi's edge talks to over
//! plain HTTP, exactly as the real ones would be reached. A test double:
//! never linked into the edge. The platforms, and the key each signs with:
//!
//! - identity provider (`idp`, `households`): OAuth sign-in,
//!   `GET /households/{sub}` and `POST /identity/verify` (实名核验) signed
//!   with the IdP client secret;
//! - every department in the catalog (`departments`): relays, withdrawals,
//!   announced maintenance and status polling, webhooks back to the edge;
//!   each department's own key;
//! - SMS gateway (`sms`): `POST /sms/messages`; SMS key;
//! - 好差评 evaluation platform (`evaluation`): `POST /evaluation/ratings`;
//!   evaluation key;
//! - e-certificate platform (`ecerts`): `GET /ecerts/{sub}/certificates`;
//!   e-certificate key.
//!
//! Every call is signed over method, path and query, party, time and body. Tests set
//! faults and read what each platform received under `/_sandbox/*`.
//!
//! Usage: banshi-sandbox [--port 8788] [--edge-url http://127.0.0.1:8787] [--seed 1]
//!        [--step-ms 1500]; secrets from BANSHI_DEPARTMENT_KEYS (JSON: department
//!        id → key), BANSHI_IDP_CLIENT_SECRET, BANSHI_SMS_KEY, BANSHI_EVALUATION_KEY,
//!        BANSHI_ECERT_KEY.

mod control;
mod departments;
mod ecerts;
mod enterprises;
mod evaluation;
mod households;
mod idp;
mod residents;
mod rng;
mod sms;
#[cfg(test)]
mod tests;
mod wire;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::routing::{get, post, put};
use axum::Router;

pub struct Config {
    pub edge_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Each department's own key, by department id.
    pub department_keys: HashMap<String, String>,
    pub sms_key: String,
    pub evaluation_key: String,
    pub ecert_key: String,
    /// The pace from `--step-ms`, which a reset returns departments to.
    pub step_ms: u64,
}

/// The key a department has when none is given (`cargo xtask` gives each).
pub fn default_department_key(department: &str) -> String {
    format!("sandbox-department-key-{department}")
}

impl Config {
    /// `department`'s own key (unknown departments get none that verifies).
    pub fn department_key(&self, department: &str) -> &str {
        self.department_keys
            .get(department)
            .map(String::as_str)
            .unwrap_or("\u{0}no-such-department")
    }

    /// Defaults for every secret, so the sandbox runs with no setup; each
    /// can be overridden to match the edge's configuration.
    fn from_env(edge_url: String, step_ms: u64) -> Self {
        let env =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        // `BANSHI_DEPARTMENT_KEYS`: a JSON object, department id → key.
        let given: HashMap<String, String> = std::env::var("BANSHI_DEPARTMENT_KEYS")
            .ok()
            .map(|j| serde_json::from_str(&j).expect("BANSHI_DEPARTMENT_KEYS is a JSON object"))
            .unwrap_or_default();
        let department_keys = banshi_core::Catalog::embedded()
            .departments()
            .iter()
            .map(|d| {
                let key = given
                    .get(&d.id)
                    .cloned()
                    .unwrap_or_else(|| default_department_key(&d.id));
                (d.id.clone(), key)
            })
            .collect();
        Config {
            edge_url,
            client_id: "banshi".into(),
            client_secret: env("BANSHI_IDP_CLIENT_SECRET", "sandbox-client-secret"),
            department_keys,
            sms_key: env("BANSHI_SMS_KEY", "sandbox-sms-key"),
            evaluation_key: env("BANSHI_EVALUATION_KEY", "sandbox-evaluation-key"),
            ecert_key: env("BANSHI_ECERT_KEY", "sandbox-ecert-key"),
            step_ms,
        }
    }
}

#[derive(Default)]
pub struct Inner {
    pub rng: rng::Rng,
    pub grants: HashMap<String, idp::Grant>,
    pub idp: idp::IdpScenario,
    pub tokens: HashMap<String, String>,
    pub departments: HashMap<String, departments::Department>,
    pub sms: sms::Gateway,
    pub evaluation: evaluation::Platform,
    pub ecert_access: Vec<ecerts::Access>,
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
    /// Callbacks in flight to the edge at once. A department's platform
    /// sends from a bounded pool, not one connection per case: thousands
    /// of cases stepping together must not open thousands of sockets on
    /// the edge (a 1,000-submission soak ran workerd out of descriptors).
    pub callbacks: Arc<tokio::sync::Semaphore>,
}

/// See [`AppState::callbacks`].
pub const CALLBACKS_IN_FLIGHT: usize = 16;

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
        .route("/households/{sub}", get(households::household))
        .route("/enterprises/{sub}", get(enterprises::representation))
        .route("/identity/verify", post(idp::verify_identity))
        .route(
            "/departments/{dept}/applications/{external_id}/withdraw",
            post(departments::withdraw),
        )
        .route(
            "/departments/{dept}/applications/{external_id}/materials",
            post(departments::supplement),
        )
        .route(
            "/departments/{dept}/applications/{external_id}/updates",
            get(departments::updates),
        )
        .route(
            "/departments/{dept}/maintenance",
            get(departments::maintenance),
        )
        .route("/sms/messages", post(sms::send))
        .route("/evaluation/ratings", post(evaluation::rate))
        .route("/ecerts/{sub}/certificates", get(ecerts::certificates))
        .route("/_sandbox/health", get(control::health))
        .route("/_sandbox/reset", post(control::reset))
        .route(
            "/_sandbox/departments/{dept}/scenario",
            put(control::set_scenario),
        )
        .route(
            "/_sandbox/departments/{dept}/received",
            get(control::received),
        )
        .route("/_sandbox/sms/scenario", put(sms::set_scenario))
        .route("/_sandbox/idp/scenario", put(idp::set_scenario))
        .route("/_sandbox/sms/messages", get(sms::messages))
        .route(
            "/_sandbox/evaluation/scenario",
            put(evaluation::set_scenario),
        )
        .route("/_sandbox/evaluation/ratings", get(evaluation::ratings))
        .route("/_sandbox/ecerts/access", get(ecerts::access))
        .with_state(state)
}

/// A fresh sandbox: every catalog department known, at the configured pace.
pub fn new_state(config: Config, seed: u64) -> AppState {
    let mut inner = Inner {
        rng: rng::Rng::new(seed),
        ..Inner::default()
    };
    for d in banshi_core::Catalog::embedded().departments() {
        inner.departments.entry(d.id.clone()).or_default().scenario =
            departments::Scenario::with_step_ms(config.step_ms);
    }
    AppState {
        config: Arc::new(config),
        inner: Arc::new(Mutex::new(inner)),
        callbacks: Arc::new(tokio::sync::Semaphore::new(CALLBACKS_IN_FLIGHT)),
    }
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
    let edge_url = arg(&args, "--edge-url").unwrap_or_else(|| "http://127.0.0.1:8787".into());
    let state = new_state(Config::from_env(edge_url, step_ms), seed);
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
