//! The phone's own storage (IndexedDB, through indexed_db_futures): drafts
//! as JSON, the pages of their materials as Blobs, and receipts of what was
//! sent. Every save is one transaction committed with `durability: "strict"`
//! (Chromium's default, relaxed, can lose the last writes to a killed
//! browser), so what the resident typed survives a crash mid-form.

use banshi_core::draft::Draft;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::{JsCast, JsValue};

const DB: &str = "banshi";
const VERSION: u32 = 1;
const DRAFTS: &str = "drafts";
const PAGES: &str = "pages";
const RECEIPTS: &str = "receipts";

/// Why storage failed, for the console; pages show their own message.
#[derive(Debug, Clone)]
pub struct StoreError(#[allow(dead_code)] String);

macro_rules! from_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError(format!("{e:?}"))
            }
        }
    )*};
}
from_errors!(
    indexed_db_futures::error::Error,
    indexed_db_futures::error::OpenDbError,
    serde_json::Error
);

pub type StoreResult<T> = Result<T, StoreError>;

async fn open() -> StoreResult<Database> {
    let db = Database::open(DB)
        .with_version(VERSION)
        .with_on_upgrade_needed(|_event, db| {
            for name in [DRAFTS, PAGES, RECEIPTS] {
                if !db.object_store_names().any(|n| n == name) {
                    db.create_object_store(name).build()?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(db)
}

fn strict() -> TransactionOptions {
    let mut o = TransactionOptions::new();
    o.set_durability(TransactionDurability::Strict);
    o
}

/// Save (or replace) a draft: one strict transaction.
pub async fn save_draft(draft: &Draft) -> StoreResult<()> {
    let json = serde_json::to_string(draft)?;
    let db = open().await?;
    let tx = db
        .transaction(DRAFTS)
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    tx.object_store(DRAFTS)?
        .put(json)
        .with_key(draft.id.clone())
        .primitive()?;
    tx.commit().await?;
    Ok(())
}

pub async fn load_draft(id: &str) -> StoreResult<Option<Draft>> {
    let db = open().await?;
    let tx = db.transaction(DRAFTS).build()?;
    let json: Option<String> = tx
        .object_store(DRAFTS)?
        .get(id.to_owned())
        .primitive()?
        .await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Every draft on this device; callers filter by owner.
pub async fn all_drafts() -> StoreResult<Vec<Draft>> {
    let db = open().await?;
    let tx = db.transaction(DRAFTS).build()?;
    let all = tx
        .object_store(DRAFTS)?
        .get_all::<String>()
        .primitive()?
        .await?;
    Ok(all
        .filter_map(Result::ok)
        .filter_map(|j| serde_json::from_str(&j).ok())
        .collect())
}

/// Forget a draft and every page of it, in one transaction: nothing the
/// resident typed or photographed stays behind.
pub async fn delete_draft(draft: &Draft) -> StoreResult<()> {
    let db = open().await?;
    let tx = db
        .transaction([DRAFTS, PAGES])
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    tx.object_store(DRAFTS)?
        .delete(draft.id.clone())
        .primitive()?;
    let pages = tx.object_store(PAGES)?;
    for p in draft.pages() {
        pages.delete(p.id.clone()).primitive()?;
    }
    tx.commit().await?;
    Ok(())
}

/// Keep a page's bytes (a compressed photo or a PDF) on the phone.
pub async fn save_page(id: &str, blob: &web_sys::Blob) -> StoreResult<()> {
    let db = open().await?;
    let tx = db
        .transaction(PAGES)
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    tx.object_store(PAGES)?
        .put(JsValue::from(blob.clone()))
        .with_key(id.to_owned())
        .primitive()?;
    tx.commit().await?;
    Ok(())
}

pub async fn load_page(id: &str) -> StoreResult<Option<web_sys::Blob>> {
    let db = open().await?;
    let tx = db.transaction(PAGES).build()?;
    let v: Option<JsValue> = tx
        .object_store(PAGES)?
        .get(id.to_owned())
        .primitive()?
        .await?;
    Ok(v.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
}

pub async fn delete_page(id: &str) -> StoreResult<()> {
    let db = open().await?;
    let tx = db
        .transaction(PAGES)
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    tx.object_store(PAGES)?.delete(id.to_owned()).primitive()?;
    tx.commit().await?;
    Ok(())
}

/// What the phone keeps after a draft was sent: which application it
/// became, so its confirmation can be found again. No personal data.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Receipt {
    pub draft: String,
    pub application: String,
    pub owner: banshi_core::draft::Owner,
}

/// The draft is now an application at the edge: keep its receipt and drop
/// the draft with its pages, in one transaction.
pub async fn settle(draft: &Draft, application: &str) -> StoreResult<()> {
    let receipt = serde_json::to_string(&Receipt {
        draft: draft.id.clone(),
        application: application.to_owned(),
        owner: draft.owner.clone(),
    })?;
    let db = open().await?;
    let tx = db
        .transaction([DRAFTS, PAGES, RECEIPTS])
        .with_mode(TransactionMode::Readwrite)
        .with_options(strict())
        .build()?;
    tx.object_store(RECEIPTS)?
        .put(receipt)
        .with_key(draft.id.clone())
        .primitive()?;
    tx.object_store(DRAFTS)?
        .delete(draft.id.clone())
        .primitive()?;
    let pages = tx.object_store(PAGES)?;
    for p in draft.pages() {
        pages.delete(p.id.clone()).primitive()?;
    }
    tx.commit().await?;
    Ok(())
}
