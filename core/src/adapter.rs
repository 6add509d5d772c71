//! How the edge reaches each department's platform, as deployment data
//! (`DEPARTMENT_ADAPTERS` in `edge/wrangler.toml`): a default for every
//! department in the catalog plus per-department overrides. Adding a
//! department or pointing one at its own host is a config change, not code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;

/// How a department tells us about status changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeMode {
    /// It calls our signed webhook.
    Webhook,
    /// It cannot call out; our cron asks it for updates.
    Poll,
}

/// One department's settings; every field is optional so an override can
/// change just one thing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdapterSettings {
    /// `/path` is on the platform gateway (`PLATFORM_URL`); `https://…` is its
    /// own host. `{department}` is replaced by the department id.
    pub base_url: Option<String>,
    /// Name of the secret holding the HMAC key shared with the department;
    /// `{DEPARTMENT}` in it becomes the department id in upper snake case
    /// (`DEPARTMENT_KEY_{DEPARTMENT}` → `DEPARTMENT_KEY_HOUSING_FUND`), so
    /// each department has its own key.
    pub key: Option<String>,
    pub timeout_ms: Option<u32>,
    pub intake: Option<IntakeMode>,
}

/// The whole `DEPARTMENT_ADAPTERS` setting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdapterConfig {
    pub default: AdapterSettings,
    #[serde(default)]
    pub departments: BTreeMap<String, AdapterSettings>,
}

/// A department's resolved adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adapter {
    pub department: String,
    /// Without a trailing slash; endpoints are appended (`/applications`, …).
    pub base_url: String,
    pub key_secret: String,
    pub timeout_ms: u32,
    pub intake: IntakeMode,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdapterError {
    #[error("no adapter setting `{setting}` for department {department} (and no default)")]
    Missing {
        department: String,
        setting: &'static str,
    },
    #[error("adapter override for {0}, which is not a department in the catalog")]
    UnknownDepartment(String),
    #[error("base_url for {department} must start with / or https:// (got {url})")]
    BadUrl { department: String, url: String },
    #[error("timeout_ms for {0} must be between 100 and 60000")]
    BadTimeout(String),
}

/// A department id as a secret-name suffix: `housing-fund` → `HOUSING_FUND`.
pub fn secret_suffix(department: &str) -> String {
    department.to_ascii_uppercase().replace('-', "_")
}

impl Adapter {
    pub fn applications_url(&self) -> String {
        format!("{}/applications", self.base_url)
    }
    pub fn withdraw_url(&self, external_id: &str) -> String {
        format!("{}/applications/{external_id}/withdraw", self.base_url)
    }
    /// Where a deferred material provided later goes (`DepartmentSupplement`).
    pub fn supplements_url(&self, external_id: &str) -> String {
        format!("{}/applications/{external_id}/materials", self.base_url)
    }
    pub fn updates_url(&self, external_id: &str) -> String {
        format!("{}/applications/{external_id}/updates", self.base_url)
    }
    pub fn maintenance_url(&self) -> String {
        format!("{}/maintenance", self.base_url)
    }
}

impl AdapterConfig {
    /// The adapter for `department`; `gateway` is `PLATFORM_URL`.
    pub fn resolve(&self, department: &str, gateway: &str) -> Result<Adapter, AdapterError> {
        let own = self.departments.get(department);
        let d = &self.default;
        let missing = |setting| AdapterError::Missing {
            department: department.to_owned(),
            setting,
        };
        let url = own
            .and_then(|s| s.base_url.clone())
            .or_else(|| d.base_url.clone())
            .ok_or_else(|| missing("base_url"))?
            .replace("{department}", department);
        let base_url = if url.starts_with('/') {
            format!("{}{url}", gateway.trim_end_matches('/'))
        } else if url.starts_with("https://") {
            url
        } else {
            return Err(AdapterError::BadUrl {
                department: department.to_owned(),
                url,
            });
        };
        let timeout_ms = own
            .and_then(|s| s.timeout_ms)
            .or(d.timeout_ms)
            .ok_or_else(|| missing("timeout_ms"))?;
        if !(100..=60_000).contains(&timeout_ms) {
            return Err(AdapterError::BadTimeout(department.to_owned()));
        }
        let key_secret = own
            .and_then(|s| s.key.clone())
            .or_else(|| d.key.clone())
            .ok_or_else(|| missing("key"))?
            .replace("{DEPARTMENT}", &secret_suffix(department));
        Ok(Adapter {
            department: department.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            key_secret,
            timeout_ms,
            intake: own
                .and_then(|s| s.intake)
                .or(d.intake)
                .unwrap_or(IntakeMode::Webhook),
        })
    }

    /// Every department in the catalog resolves, and every override names one.
    pub fn check(&self, catalog: &Catalog, gateway: &str) -> Vec<AdapterError> {
        let mut problems: Vec<AdapterError> = self
            .departments
            .keys()
            .filter(|d| catalog.department(d).is_none())
            .map(|d| AdapterError::UnknownDepartment(d.clone()))
            .collect();
        problems.extend(
            catalog
                .departments()
                .iter()
                .filter_map(|d| self.resolve(&d.id, gateway).err()),
        );
        problems
    }

    /// Departments that must be polled for updates.
    pub fn polled<'a>(&'a self, catalog: &'a Catalog) -> impl Iterator<Item = &'a str> + 'a {
        catalog
            .departments()
            .iter()
            .map(|d| d.id.as_str())
            .filter(|d| {
                self.departments
                    .get(*d)
                    .and_then(|s| s.intake)
                    .or(self.default.intake)
                    == Some(IntakeMode::Poll)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AdapterConfig {
        serde_json::from_value(serde_json::json!({
            "default": {"base_url": "/departments/{department}", "key": "DEPARTMENT_HMAC_KEY",
                        "timeout_ms": 10000, "intake": "webhook"},
            "departments": {
                "housing-fund": {"intake": "poll"},
                "court": {"base_url": "https://court.example.gov.cn/api", "timeout_ms": 20000,
                          "key": "COURT_HMAC_KEY"}
            }
        }))
        .unwrap()
    }

    #[test]
    fn defaults_apply_and_overrides_win() {
        let c = config();
        let police = c.resolve("police", "http://gw/").unwrap();
        assert_eq!(
            police.applications_url(),
            "http://gw/departments/police/applications"
        );
        assert_eq!(police.intake, IntakeMode::Webhook);
        assert_eq!(police.timeout_ms, 10_000);
        let court = c.resolve("court", "http://gw").unwrap();
        assert_eq!(court.base_url, "https://court.example.gov.cn/api");
        assert_eq!(court.key_secret, "COURT_HMAC_KEY");
        assert_eq!(court.timeout_ms, 20_000);
        let fund = c.resolve("housing-fund", "http://gw").unwrap();
        assert_eq!(fund.intake, IntakeMode::Poll);
        assert_eq!(fund.key_secret, "DEPARTMENT_HMAC_KEY");
    }

    #[test]
    fn the_check_catches_typos_plain_http_and_missing_defaults() {
        let catalog = Catalog::embedded();
        assert_eq!(config().check(catalog, "http://gw"), vec![]);
        let mut typo = config();
        typo.departments
            .insert("polise".into(), AdapterSettings::default());
        assert_eq!(
            typo.check(catalog, "http://gw"),
            vec![AdapterError::UnknownDepartment("polise".into())]
        );
        let mut plain = config();
        plain.departments.get_mut("court").unwrap().base_url = Some("http://court.example".into());
        assert!(matches!(
            plain.check(catalog, "http://gw")[..],
            [AdapterError::BadUrl { .. }]
        ));
        let mut no_key = config();
        no_key.default.key = None;
        // Every department but the court (which names its own key) lacks one.
        assert_eq!(
            no_key.check(catalog, "http://gw").len(),
            catalog.departments().len() - 1
        );
    }

    #[test]
    fn a_key_name_with_a_department_placeholder_gives_each_department_its_own() {
        let mut c = config();
        c.default.key = Some("DEPARTMENT_KEY_{DEPARTMENT}".into());
        let key = |d: &str| c.resolve(d, "http://gw").unwrap().key_secret;
        assert_eq!(key("housing-fund"), "DEPARTMENT_KEY_HOUSING_FUND");
        assert_eq!(key("police"), "DEPARTMENT_KEY_POLICE");
        assert_eq!(key("court"), "COURT_HMAC_KEY");
    }

    #[test]
    fn only_poll_departments_are_polled() {
        let c = config();
        assert_eq!(
            c.polled(Catalog::embedded()).collect::<Vec<_>>(),
            vec!["housing-fund"]
        );
    }
}
