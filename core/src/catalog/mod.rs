//! The catalog of life events, departments, e-certificate types, holiday
//! schedules and message templates: parsed from `catalog/` at build time and
//! embedded, so every consumer (app offline, edge, sandbox) sees the same data.

mod lint;
mod locality;
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

    /// The human version and the day of the last rule change ("2026.12.1",
    /// 2026-12-01): what an application records and the event page shows.
    pub fn version_info(&self) -> &CatalogInfo {
        &self.data.info
    }

    /// The State Council's lists, oldest first.
    pub fn batches(&self) -> &[Batch] {
        &self.data.batches
    }

    /// A list by id (`event.batch`, or one of `event.batch_one_of`).
    pub fn batch(&self, id: &str) -> Option<&Batch> {
        self.data.batches.iter().find(|b| b.id == id)
    }

    /// What the home page shows for an event's list: "2026年第一批"; for an
    /// event on one of several lists, the span of their years
    /// ("国家重点事项（2024—2025年）"), never one list it may not be on.
    pub fn event_batch_label(&self, event: &Event) -> Option<Text> {
        let batches = self.event_batches(event)?;
        match batches.as_slice() {
            [b] => Some(b.label.clone()),
            _ => {
                let years: Vec<&str> = batches
                    .iter()
                    .filter_map(|b| b.id.split('-').next())
                    .collect();
                let (first, last) = (years.iter().min()?, years.iter().max()?);
                let (zh, en) = if first == last {
                    (format!("{first}年"), first.to_string())
                } else {
                    (format!("{first}—{last}年"), format!("{first}–{last}"))
                };
                Some(Text::new(
                    format!("国家重点事项（{zh}）"),
                    format!("National key item ({en})"),
                ))
            }
        }
    }

    /// What the event page shows: the list with its document number
    /// ("2024年第一批（国发〔2024〕3号）"); for an event on one of several
    /// lists, every candidate and that which one is not known.
    pub fn event_batch_citation(&self, event: &Event) -> Option<Text> {
        let batches = self.event_batches(event)?;
        match batches.as_slice() {
            [b] => Some(match &b.doc_number {
                Some(n) => Text::new(
                    format!("{}（{n}）", b.label.zh),
                    format!("{} ({n})", b.label.en),
                ),
                None => b.label.clone(),
            }),
            _ => {
                let zh: Vec<&str> = batches.iter().map(|b| b.label.zh.as_str()).collect();
                let en: Vec<&str> = batches.iter().map(|b| b.label.en.as_str()).collect();
                let docs: Vec<&str> = batches
                    .iter()
                    .filter_map(|b| b.doc_number.as_deref())
                    .collect();
                let (docs_zh, docs_en) = if docs.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!("（{}）", docs.join("或")),
                        format!(" ({})", docs.join(" or ")),
                    )
                };
                Some(Text::new(
                    format!("国家重点事项：在{}清单之一{docs_zh}，具体哪一批尚未查明", zh.join("或")),
                    format!("National key item: on one of the lists {}{docs_en}; which one is not yet known", en.join(" or ")),
                ))
            }
        }
    }

    /// The lists an event names, all of them known; `None` if any is not.
    fn event_batches(&self, event: &Event) -> Option<Vec<&Batch>> {
        let ids = event.batch_ids();
        if ids.is_empty() {
            return None;
        }
        ids.into_iter().map(|id| self.batch(id)).collect()
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

impl CatalogInfo {
    /// "办事指南更新于 2026年12月1日（版本 2026.12.1）" for the event page.
    pub fn updated_text(&self) -> Text {
        use chrono::Datelike;
        let d = self.updated;
        Text::new(
            format!(
                "办事指南更新于 {}年{}月{}日（版本 {}）",
                d.year(),
                d.month(),
                d.day(),
                self.version
            ),
            format!(
                "Guide updated on {} (version {})",
                d.format("%-d %B %Y"),
                self.version
            ),
        )
    }
}

impl Event {
    /// An item offered now: what the guide and a new submission may use.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The item a stored application names, offered now or retired since:
    /// what reading, relaying and moving an existing application must use,
    /// so a later change of rules never makes it unreadable.
    pub fn item_as_recorded(&self, id: &str) -> Option<&Item> {
        self.item(id).or_else(|| {
            self.retired_items
                .iter()
                .find(|r| r.item.id == id)
                .map(|r| &r.item)
        })
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

#[cfg(test)]
mod batch_events_tests;
#[cfg(test)]
mod facts_tests;
#[cfg(test)]
mod replay_tests;
#[cfg(test)]
mod tests;
