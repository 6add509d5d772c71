//! The tracking view (`ApplicationView`) from what is stored: the
//! application's snapshot of the catalog, each item's status and timeline,
//! and how each material was provided. Built from the snapshot, never from
//! the current catalog, so an application made under an older catalog reads
//! exactly as it did.

use chrono::{DateTime, NaiveDate, Utc};

use crate::api::{
    ApplicationView, CorrectionPoint, ItemNotice, ItemView, MaterialView, Provision, ProvisionKind,
    Reference, RelayState, TimelineEntry,
};
use crate::application::{ItemSnapshot, Snapshot};
use crate::calendar::{Due, WorkCalendar};
use crate::catalog::Text;
use crate::guide::FieldValues;
use crate::rating::{can_rate, RatingView};
use crate::status::{overall_of, ItemStatus};

/// One item as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    /// The item row id (the department's external id).
    pub id: String,
    pub item_id: String,
    pub status: ItemStatus,
    pub relay: RelayState,
    pub due: Option<Due>,
    /// The day (in China) the department accepted it: deferred materials
    /// are due counted from then.
    pub accepted_on: Option<NaiveDate>,
    pub timeline: Vec<TimelineEntry>,
    pub notice: Option<ItemNotice>,
    /// What the department's latest correction request (补正) named.
    pub corrections: Vec<CorrectionPoint>,
    /// A withdrawal waits for the department's confirmation.
    pub withdrawing: bool,
}

/// One material of the application as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMaterial {
    pub material_id: String,
    pub provision: Provision,
    pub provided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredApplication {
    pub id: String,
    pub reference: Reference,
    pub event_id: String,
    pub submitted_at: DateTime<Utc>,
    pub snapshot: Snapshot,
    pub fields: FieldValues,
    pub items: Vec<StoredItem>,
    pub materials: Vec<StoredMaterial>,
    pub rating: Option<RatingView>,
    /// Who applied for the resident, if someone else did.
    pub acted_by: Option<crate::api::ActedBy>,
}

/// An item the snapshot does not know (it cannot happen for rows written
/// with a snapshot; kept so a damaged row still shows, by its ids).
fn unknown_item(item_id: &str) -> ItemSnapshot {
    ItemSnapshot {
        item_id: item_id.to_owned(),
        name: Text::new(item_id, item_id),
        department: String::new(),
        department_name: Text::new("", ""),
        time_limit_working_days: None,
        produces_card: false,
        delivery: Vec::new(),
        fields: Vec::new(),
        materials: Vec::new(),
    }
}

fn materials(
    snap: &ItemSnapshot,
    item: &StoredItem,
    stored: &[StoredMaterial],
    calendar: &WorkCalendar,
) -> Vec<MaterialView> {
    snap.materials
        .iter()
        .filter_map(|m| {
            let s = stored.iter().find(|s| s.material_id == m.id)?;
            let kind = s.provision.kind();
            let due = match (kind, item.accepted_on, m.defer_working_days) {
                (ProvisionKind::Deferred, Some(from), Some(n)) => {
                    calendar.add_working_days(from, n).ok()
                }
                _ => None,
            };
            Some(MaterialView {
                material_id: m.id.clone(),
                name: m.name.clone(),
                provision: kind,
                due,
                provided_at: s.provided_at,
            })
        })
        .collect()
}

/// What the resident should know now about an item that is waiting on us:
/// a refusal we follow up, or a withdrawal the department has not confirmed.
fn standing_notice(item: &StoredItem, snap: &ItemSnapshot) -> Option<ItemNotice> {
    if item.relay == RelayState::FollowingUp && !item.status.is_terminal() {
        return Some(ItemNotice {
            title: Text::new("我们正在跟进", "We are following this up"),
            body: Text::new(
                format!(
                    "{}的系统没有接收「{}」。您的申请没有丢，我们已交给工作人员处理，有结果会告诉您；着急的话可以拨打12345。",
                    snap.department_name.zh, snap.name.zh
                ),
                format!(
                    "{}'s system did not take \"{}\". Your application is safe: our staff are following it up and will tell you the outcome; if it is urgent, call 12345.",
                    snap.department_name.en, snap.name.en
                ),
            ),
        });
    }
    if item.withdrawing && item.status != ItemStatus::Withdrawn {
        return Some(ItemNotice {
            title: Text::new("撤回申请已发出", "Withdrawal sent"),
            body: Text::new(
                format!(
                    "我们已请{}撤回「{}」，等部门确认后这一项才算撤回。",
                    snap.department_name.zh, snap.name.zh
                ),
                format!(
                    "We have asked {} to withdraw \"{}\"; it counts as withdrawn once the department confirms.",
                    snap.department_name.en, snap.name.en
                ),
            ),
        });
    }
    None
}

pub fn view(app: StoredApplication, calendar: &WorkCalendar) -> ApplicationView {
    let mut finished = Vec::with_capacity(app.items.len());
    let items = app
        .items
        .into_iter()
        .map(|item| {
            let snap = app
                .snapshot
                .item(&item.item_id)
                .cloned()
                .unwrap_or_else(|| unknown_item(&item.item_id));
            finished.push((item.status, snap.is_finished(item.status)));
            let notice = item
                .notice
                .clone()
                .or_else(|| standing_notice(&item, &snap));
            ItemView {
                materials: materials(&snap, &item, &app.materials, calendar),
                id: item.id,
                item_id: item.item_id,
                name: snap.name,
                department: snap.department_name,
                status: item.status,
                status_label: item.status.label(),
                relay: item.relay,
                time_limit_working_days: snap.time_limit_working_days,
                due: item.due,
                timeline: item.timeline,
                notice,
                // Only while it is open: a settled correction is history.
                corrections: if item.status == ItemStatus::CorrectionRequired {
                    item.corrections
                } else {
                    Vec::new()
                },
                withdrawing: item.withdrawing && item.status != ItemStatus::Withdrawn,
            }
        })
        .collect();
    let overall = overall_of(finished);
    ApplicationView {
        can_rate: app.rating.is_none() && can_rate(&overall),
        rating: app.rating,
        id: app.id,
        reference: app.reference,
        event_id: app.event_id,
        catalog_version: app.snapshot.catalog_version,
        event_name: app.snapshot.event_name,
        submitted_at: app.submitted_at,
        overall,
        items,
        fields: app.fields,
        acted_by: app.acted_by,
    }
}

#[cfg(test)]
mod tests;
