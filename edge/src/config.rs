//! Deployment settings, read from wrangler vars and secrets. The binding and
//! variable names here must match `wrangler.toml`.

use banshi_core::adapter::{Adapter, AdapterConfig};
use worker::Env;

use crate::error::{EdgeError, EdgeResult};

pub const DB: &str = "DB";
pub const RELAY_QUEUE: &str = "RELAY";
pub const ATTACHMENTS: &str = "ATTACHMENTS";
/// The app's built files (trunk's dist/).
pub const ASSETS: &str = "ASSETS";

/// Where the other people's platforms are, and how we prove who we are to them.
pub struct Platforms {
    /// The platform gateway (the sandbox locally): departments by default,
    /// the SMS gateway, the evaluation and e-certificate platforms.
    pub base_url: String,
    /// The identity provider's address as the resident's browser sees it.
    pub idp_public_url: String,
    pub idp_client_id: String,
    pub idp_client_secret: String,
    pub sms_key: String,
    pub evaluation_key: String,
    pub ecert_key: String,
    adapters: AdapterConfig,
}

fn var(env: &Env, name: &str) -> EdgeResult<String> {
    env.var(name)
        .map(|v| v.to_string())
        .or_else(|_| env.secret(name).map(|s| s.to_string()))
        .map_err(|_| EdgeError::Internal(format!("missing setting {name}")))
}

/// A department's adapter with its key read from the named secret.
pub struct DepartmentLink {
    pub adapter: Adapter,
    pub key: String,
}

impl DepartmentLink {
    /// The department as the party of a signed call.
    pub fn party(&self) -> crate::platform::Party<'_> {
        crate::platform::Party {
            name: &self.adapter.department,
            key: &self.key,
        }
    }
}

impl Platforms {
    pub fn from_env(env: &Env) -> EdgeResult<Self> {
        Ok(Platforms {
            base_url: var(env, "PLATFORM_URL")?.trim_end_matches('/').to_owned(),
            idp_public_url: var(env, "IDP_PUBLIC_URL")?.trim_end_matches('/').to_owned(),
            idp_client_id: var(env, "IDP_CLIENT_ID")?,
            idp_client_secret: var(env, "IDP_CLIENT_SECRET")?,
            sms_key: var(env, "SMS_HMAC_KEY")?,
            evaluation_key: var(env, "EVALUATION_HMAC_KEY")?,
            ecert_key: var(env, "ECERT_HMAC_KEY")?,
            adapters: env
                .object_var("DEPARTMENT_ADAPTERS")
                .map_err(|e| EdgeError::Internal(format!("DEPARTMENT_ADAPTERS: {e}")))?,
        })
    }

    pub fn adapters(&self) -> &AdapterConfig {
        &self.adapters
    }

    /// How to reach `department`, or an internal error naming what is misconfigured.
    pub fn department(&self, env: &Env, department: &str) -> EdgeResult<DepartmentLink> {
        let adapter = self
            .adapters
            .resolve(department, &self.base_url)
            .map_err(|e| EdgeError::Internal(e.to_string()))?;
        let key = var(env, &adapter.key_secret)?;
        Ok(DepartmentLink { adapter, key })
    }

    pub fn sms_url(&self) -> String {
        format!("{}/sms/messages", self.base_url)
    }

    pub fn ratings_url(&self) -> String {
        format!("{}/evaluation/ratings", self.base_url)
    }

    /// Path and query on the gateway, for a signed GET: the `kinds`
    /// (comma-separated ecert ids) released for `purpose` (an event id).
    pub fn certificates_path(&self, sub: &str, purpose: &str, kinds: &str) -> String {
        format!("/ecerts/{sub}/certificates?purpose={purpose}&kinds={kinds}")
    }

    pub fn household_path(&self, sub: &str) -> String {
        format!("/households/{sub}")
    }

    pub fn enterprises_path(&self, sub: &str) -> String {
        format!("/enterprises/{sub}")
    }
}
