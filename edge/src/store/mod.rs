//! The edge's storage, in the domain's words ("record a submission", "apply a
//! department update", "list my applications"), one file per aggregate. All
//! SQL lives in this folder, so moving from one D1 to per-resident Durable
//! Objects is a change here only. Every read on a resident's path is
//! filtered by `resident_id`.

use banshi_core::api::{DepartmentUpdate, RelayState, UserInfo};
use banshi_core::message::sms_text;
use banshi_core::platform::MaintenanceWindow;
use banshi_core::sla::Lateness;
use banshi_core::status::ItemStatus;
use banshi_core::Text;
use serde::{Deserialize, Serialize};
use worker::{query, D1Database, Env};

use crate::config;
use crate::error::{EdgeError, EdgeResult};

mod actions;
mod applications;
mod attachments;
mod audit;
mod delegations;
mod family;
mod inbox;
mod maintenance;
mod materials;
mod offers;
mod outbox;
mod ratings;
mod relay;
mod retention;
mod sessions;
mod sms;
mod texts;
mod updates;
mod watch;

pub use applications::*;
pub use attachments::*;
pub use audit::*;
pub use delegations::*;
pub use family::*;
pub use materials::*;
pub use ratings::*;
pub use relay::*;
pub use sessions::*;
pub use texts::*;
pub use updates::*;

pub struct Store {
    db: D1Database,
}

/// Statements used by more than one method (a single read and a batch).
/// The columns of an [`ItemRow`], for `concat!` into statements.
macro_rules! item_columns {
    () => {
        "i.id, a.event_id, i.item_id, i.department, i.status, i.relay_state, i.revision,
         i.due_date, i.due_estimated, i.accepted_at, i.relay_attempts, i.withdraw_state"
    };
}
pub(crate) use item_columns;

pub(crate) const ITEMS_OF_APPLICATION: &str = concat!(
    "SELECT ",
    item_columns!(),
    " FROM application_items i JOIN applications a ON a.id = i.application_id
      WHERE i.application_id = ?1 ORDER BY i.position"
);

pub(crate) const RATING_OF_APPLICATION: &str =
    "SELECT application_id, id, score, comment, rated_at, relayed_at, attempts, gave_up_at
       FROM ratings WHERE application_id = ?1";

/// The `id` column of every row a statement returns.
pub(crate) async fn ids(statement: worker::D1PreparedStatement) -> EdgeResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    Ok(statement
        .all()
        .await?
        .results::<Id>()?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

pub(crate) fn changes(r: &worker::D1Result) -> usize {
    r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

pub(crate) fn millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl Store {
    pub fn new(env: &Env) -> EdgeResult<Store> {
        Ok(Store {
            db: env.d1(config::DB)?,
        })
    }
}
