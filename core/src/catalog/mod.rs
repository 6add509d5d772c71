//! The catalog of life events, departments, e-certificate types, holiday
//! schedules and message templates: parsed from `catalog/` at build time and
//! embedded, so every consumer (app offline, edge, sandbox) sees the same data.

mod lint;
pub mod model;

pub use lint::{lint, LintError};
pub use model::*;
use sha2::{Digest, Sha256};

use crate::calendar::WorkCalendar;

include!(concat!(env!("OUT_DIR"), "/home.rs"));

#[cfg(feature = "embedded")]
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

/// The loaded catalog with lookups. Built once per process.
#[derive(Debug)]
pub struct Catalog {
    data: CatalogData,
    version: String,
    calendar: WorkCalendar,
}

impl Catalog {
    /// The catalog compiled into this binary.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> &'static Catalog {
        static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        CATALOG.get_or_init(|| {
            let data: CatalogData =
                serde_json::from_str(EMBEDDED_JSON).expect("build.rs wrote a valid catalog");
            Catalog::new(data, EMBEDDED_JSON.as_bytes())
        })
    }

    /// A catalog from its data (as the edge serves it), versioned by the
    /// hash of `bytes`, the serialized form it came in.
    pub fn new(data: CatalogData, bytes: &[u8]) -> Catalog {
        let digest = Sha256::digest(bytes);
        let version = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let calendar = WorkCalendar::new(data.calendar.clone());
        Catalog {
            data,
            version,
            calendar,
        }
    }

    /// A short content hash, usable as an HTTP ETag: it changes exactly when the data does.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn data(&self) -> &CatalogData {
        &self.data
    }

    pub fn events(&self) -> &[Event] {
        &self.data.events
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.data.events.iter().find(|e| e.id == id)
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.data.departments.iter().find(|d| d.id == id)
    }

    pub fn departments(&self) -> &[Department] {
        &self.data.departments
    }

    pub fn ecert(&self, id: &str) -> Option<&ECertType> {
        self.data.ecerts.iter().find(|c| c.id == id)
    }

    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    pub fn messages(&self) -> &[MessageTemplate] {
        &self.data.messages
    }

    pub fn notices(&self) -> &[NoticeTemplate] {
        &self.data.notices
    }
}

impl Event {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

#[cfg(test)]
mod tests;
