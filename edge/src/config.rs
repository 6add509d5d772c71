//! Deployment settings, read from wrangler vars and secrets. The binding and
//! variable names here must match `wrangler.toml`.

use worker::Env;

use crate::error::{EdgeError, EdgeResult};

pub const DB: &str = "DB";
pub const RELAY_QUEUE: &str = "RELAY";

/// Where the other people's platforms are, and how we prove who we are to them.
pub struct Platforms {
    /// Server-to-server base URL of the backend platforms (the sandbox locally).
    pub base_url: String,
    /// The identity provider's address as the resident's browser sees it.
    pub idp_public_url: String,
    pub idp_client_id: String,
    pub idp_client_secret: String,
    /// HMAC key shared with the departments for relays and webhooks.
    pub department_key: String,
}

fn var(env: &Env, name: &str) -> EdgeResult<String> {
    env.var(name)
        .map(|v| v.to_string())
        .or_else(|_| env.secret(name).map(|s| s.to_string()))
        .map_err(|_| EdgeError::Internal(format!("missing setting {name}")))
}

impl Platforms {
    pub fn from_env(env: &Env) -> EdgeResult<Self> {
        Ok(Platforms {
            base_url: var(env, "PLATFORM_URL")?.trim_end_matches('/').to_owned(),
            idp_public_url: var(env, "IDP_PUBLIC_URL")?.trim_end_matches('/').to_owned(),
            idp_client_id: var(env, "IDP_CLIENT_ID")?,
            idp_client_secret: var(env, "IDP_CLIENT_SECRET")?,
            department_key: var(env, "DEPARTMENT_HMAC_KEY")?,
        })
    }

    pub fn department_url(&self, department: &str) -> String {
        format!("{}/departments/{department}/applications", self.base_url)
    }

    pub fn withdraw_url(&self, department: &str, external_id: &str) -> String {
        format!(
            "{}/departments/{department}/applications/{external_id}/withdraw",
            self.base_url
        )
    }
}
