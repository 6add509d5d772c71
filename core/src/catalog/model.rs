//! The catalog's data model: what `catalog/*.toml` may say, typed.
//!
//! This file is also compiled into `build.rs` (via `#[path]`) so the build can
//! parse the TOML and embed it; keep it free of anything but serde and chrono.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A user-facing text, Simplified Chinese first, English second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ECertType {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Personal,
    Business,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceScope {
    National,
    Local,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub issuer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// `YYYY-MM-DD`, or `YYYY-MM` when the day is not known.
    pub date: String,
    pub url: String,
    pub scope: SourceScope,
    /// The place a local source speaks for, shown to the resident in the
    /// locality note ("以广东省中山市为例"); required when `scope = "local"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
    /// The page is a copy on a host that is not the issuer's own (a repost,
    /// an aggregator): lower confidence, listed in the catalog README.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mirror: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    YesNo,
    Single,
    Multiple,
    Date,
    Number,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask_when: Option<Condition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_future: bool,
    /// Index into the event's sources this question (text, help, options)
    /// rests on; `None` means the event's `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<usize>,
}

/// A literal a condition compares an answer with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// When a question is asked, an item applies or a material is required.
/// Data, never code: a small tree evaluated by `guide`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Equals {
        question: String,
        value: Scalar,
    },
    In {
        question: String,
        values: Vec<String>,
    },
    Includes {
        question: String,
        value: String,
    },
    Range {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    Age {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_years: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_years: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Electronic,
    Pickup,
    Post,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_when: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived_by: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub promise: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    /// 容缺: working days after acceptance within which a deferred material
    /// must follow; `None` when no source gives a period (the app then says
    /// "在部门通知的期限内补交", never an invented date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defer_working_days: Option<u32>,
    /// Index into the event's sources that allows the deferral (and gives
    /// `defer_working_days`, when it does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defer_source: Option<usize>,
    /// Index into the event's sources that asks for this material (and
    /// allows its waiver, promise or deferral); `None`: the event's `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub name: Text,
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Condition>,
    /// 承诺时限 in working days; `None` when no source gives one (shown as
    /// "以当地规定为准", never as an invented date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_working_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_source: Option<usize>,
    /// What the resident must know about the limit beyond its number, from
    /// the same source ("偏远地区可延长至30日"); shown beside the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_note: Option<Text>,
    pub fee: Text,
    pub delivery: Vec<Delivery>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub produces_card: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
    /// Index into the event's sources that puts this item in the bundle (its
    /// name, department, when it applies); `None`: the event's `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Name,
    IdNumber,
    CreditCode,
    Mobile,
    Date,
    Number,
    BankCard,
    Choice,
    Address,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub key: String,
    pub label: Text,
    pub kind: FieldKind,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    pub items: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_future: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<usize>,
    /// Index into the event's sources for this field's label and help, when
    /// they say more than the items' own needs; `None`: the event's `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<usize>,
}

impl Field {
    /// The section this field belongs to: its key up to the first dot.
    pub fn subject(&self) -> &str {
        self.key.split('.').next().unwrap_or(&self.key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub audience: Audience,
    /// A `batches.toml` id: the State Council list that names this event;
    /// `None` only with `batch_one_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// The lists the event is on one of, when a source names it a national
    /// item but none says which list ("2024-2" or "2025-1"); only with
    /// `batch_note`, never with `batch`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batch_one_of: Vec<String>,
    /// Why the list is not known: what places the event among the
    /// candidates and what was searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_note: Option<String>,
    pub name: Text,
    pub summary: Text,
    pub sources: Vec<Source>,
    /// The source a question, item, material or field rests on when it names
    /// none itself: the guide this event is modelled on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_source: Option<usize>,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Items a later catalog version removed or renamed, as they were: an
    /// application stored under an older version still names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_items: Vec<RetiredItem>,
    /// A business event: someone the business's legal representative
    /// authorises (经办人) may apply for it, as `agent_source` says. Personal
    /// events may always be done by a family member the resident authorised
    /// in Banshi; a business event only with this.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepts_agent: bool,
    /// A signed 授权委托书 (with the applicant's ID card) is accepted from
    /// someone applying for the applicant, as `agent_source` says: the
    /// department checks it with the first application.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepts_paper_mandate: bool,
    /// Index into the event's sources that lets someone else apply for the
    /// applicant; required with either flag above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_source: Option<usize>,
}

impl Event {
    /// Every list the event may be on: its `batch`, or each of `batch_one_of`.
    pub fn batch_ids(&self) -> Vec<&str> {
        match &self.batch {
            Some(b) => vec![b.as_str()],
            None => self.batch_one_of.iter().map(String::as_str).collect(),
        }
    }
}

/// An item no longer offered, kept whole so that applications made while it
/// was offered stay readable and can still be moved by their department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredItem {
    /// The catalog version (`catalog.toml`) that stopped offering it.
    pub retired_in: String,
    /// The current item that took its place, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Why it was retired, for maintainers.
    pub reason: String,
    /// The item as it was (its conditions are no longer evaluated).
    pub item: Item,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSource {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    pub date: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One year of the State Council's holiday schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSchedule {
    pub year: i32,
    pub source: CalendarSource,
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

/// A message template per item status, `{placeholder}`s filled by `message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageTemplate {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    pub title: Text,
    pub body: Text,
}

/// A notice that is not a status change: the relay is held for maintenance,
/// or the SLA watchdog found an item late. `id` is the notice kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeTemplate {
    pub id: String,
    pub title: Text,
    pub body: Text,
}

/// A section of the merged form: the fields whose key starts with `subject.`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub subject: String,
    pub label: Text,
}

/// `catalog.toml`: the catalog's human version and the hosts it trusts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogInfo {
    /// `YYYY.MM.N`: raised by hand whenever a rule changes, so an application
    /// can say which version of the guide it was made under.
    pub version: String,
    /// The day of the last change to any rule.
    pub updated: NaiveDate,
    /// Host suffixes of national bodies (State Council, ministries, the
    /// national law database, national official media): a `scope = "national"`
    /// source elsewhere is a copy (`mirror = true`).
    pub national_hosts: Vec<String>,
    /// Host suffixes of other official bodies (provinces, cities, counties,
    /// 残联, official local media): any source elsewhere is a `mirror`.
    pub official_hosts: Vec<String>,
}

/// One item of a State Council list, and the event that covers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// The item's name as the list (or the official reporting of it) gives it.
    pub name: String,
    /// The catalog event for it; `None` while it is not (yet) in the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Why there is no event, or where the name was found when the list itself was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `batches.toml`: one State Council list of key items (重点事项清单).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// `2024-1`, `2024-2`, … as events' `batch` (or `batch_one_of`) say.
    pub id: String,
    /// What the home page shows: "2024年第一批".
    pub label: Text,
    pub title: String,
    pub issuer: String,
    /// 文号, e.g. "国办函〔2024〕53号"; `None` only with `doc_number_note`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// Where the number was searched for and not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number_note: Option<String>,
    pub date: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mirror: bool,
    /// How many items the list has, by the document or official reporting.
    pub item_count: usize,
    pub items: Vec<BatchItem>,
}

/// Everything under `catalog/`, as embedded into the binary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogData {
    pub info: CatalogInfo,
    pub batches: Vec<Batch>,
    pub departments: Vec<Department>,
    pub ecerts: Vec<ECertType>,
    pub events: Vec<Event>,
    pub calendar: Vec<YearSchedule>,
    pub messages: Vec<MessageTemplate>,
    pub notices: Vec<NoticeTemplate>,
    /// Form sections in display order (`sections.toml`).
    pub sections: Vec<Section>,
}
