//! Status intake: a department's update becomes a checked transition, a due
//! date and a timeline message. Updates are kept by their own id, so a
//! redelivery is a no-op, and applied in the department's time order as soon
//! as each fits core's transition table, so out-of-order callbacks settle;
//! a step reported after a later one is written into the timeline as history.

use banshi_core::api::{DepartmentUpdate, MandateVerdict};
use banshi_core::catalog::Catalog;
use banshi_core::delegation::audit::{AuditAction, Party};
use banshi_core::delegation::{DelegationState, Way};
use banshi_core::message::{self, MessageContext};
use banshi_core::status::ItemStatus;
use banshi_core::Text;

use crate::error::{EdgeError, EdgeResult};
use crate::handlers::delegations::change_state;
use crate::http::beijing;
use crate::store::{Entry, ItemRow, Store, UpdateOutcome};

/// What happened to one webhook call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intake {
    /// Applied (possibly together with earlier-held updates).
    Applied,
    /// Seen before: nothing changed.
    Duplicate,
    /// Arrived ahead of an update it follows; held until that one comes.
    Held,
    /// Older than what the item already shows: the item stays, a step it
    /// passed goes into the timeline as history.
    Stale,
}

/// Render the timeline/inbox message for an item entering `status`.
pub fn entry_for(
    catalog: &Catalog,
    event_id: &str,
    item_id: &str,
    status: ItemStatus,
    update: Option<&DepartmentUpdate>,
    at: chrono::DateTime<chrono::Utc>,
    due: Option<banshi_core::calendar::Due>,
) -> Entry {
    let event = catalog.event(event_id);
    let item = event.and_then(|e| e.item(item_id));
    let rendered = item.and_then(|item| {
        let department = catalog
            .department(&item.department)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| Text::new(&item.department, &item.department));
        message::render(
            catalog.messages(),
            status,
            &MessageContext {
                item,
                department: &department,
                at,
                due,
                corrections: update.map(|u| u.corrections.as_slice()).unwrap_or(&[]),
                reason: update.and_then(|u| u.message.as_ref()),
                fields: event.map(|e| e.fields.as_slice()).unwrap_or(&[]),
            },
        )
    });
    let (title, body) = rendered.unwrap_or_else(|| (status.label(), status.label()));
    Entry { title, body }
}

pub async fn receive(
    store: &Store,
    catalog: &Catalog,
    department: &str,
    update: &DepartmentUpdate,
    raw: &str,
    now: i64,
) -> EdgeResult<Intake> {
    let item = store
        .item_for_department(department, &update.external_id)
        .await?
        .ok_or(EdgeError::NotFound)?;
    if store.record_update(department, update, raw, now).await? == UpdateOutcome::Duplicate {
        return Ok(Intake::Duplicate);
    }
    if let Some(verdict) = update.mandate {
        mandate_verdict(store, &item.id, verdict, now).await?;
    }
    let event_id = item.event_id.clone();
    settle(store, catalog, &event_id, item, &update.update_id).await
}

/// A department's finding on the paper mandate relayed with the item: a
/// verified mandate becomes an active delegation, a refused one ends; the
/// audit says the department decided. Only a mandate still waiting moves.
async fn mandate_verdict(
    store: &Store,
    item_row_id: &str,
    verdict: MandateVerdict,
    now: i64,
) -> EdgeResult<()> {
    let Some(d) = store.delegation_of_item(item_row_id).await? else {
        return Ok(());
    };
    if d.way()? != Way::Paper {
        return Ok(());
    }
    let (to, action) = match verdict {
        MandateVerdict::Verified => (DelegationState::Active, AuditAction::MandateVerified),
        MandateVerdict::Refused => (DelegationState::Revoked, AuditAction::MandateRefused),
    };
    let at = chrono::DateTime::from_timestamp_millis(now).unwrap_or_else(crate::http::now);
    change_state(
        store,
        &d,
        &[DelegationState::Requested],
        to,
        action,
        Party::Department,
        at,
    )
    .await?;
    Ok(())
}

/// Apply every held update that now fits, oldest first; report what became of `this`.
async fn settle(
    store: &Store,
    catalog: &Catalog,
    event_id: &str,
    mut item: ItemRow,
    this: &str,
) -> EdgeResult<Intake> {
    let mut result = Intake::Held;
    'outer: loop {
        let current = item.status;
        for pending in store.pending_updates(&item.id).await? {
            let Ok(u) = serde_json::from_str::<DepartmentUpdate>(&pending.body) else {
                store
                    .discard_update(&item.department, &pending.update_id)
                    .await?;
                continue;
            };
            if current.can_move_to(u.status) {
                // The legal clock starts at 受理; an item with no sourced limit gets no date.
                let limit = catalog
                    .event(event_id)
                    .and_then(|e| e.item(&item.item_id))
                    .and_then(|i| i.time_limit_working_days);
                let due = match (u.status, limit) {
                    (ItemStatus::Accepted, Some(n)) => catalog
                        .calendar()
                        .add_working_days(beijing(u.at).date_naive(), n)
                        .ok(),
                    _ => None,
                };
                let entry = entry_for(
                    catalog,
                    event_id,
                    &item.item_id,
                    u.status,
                    Some(&u),
                    u.at,
                    due.or_else(|| item.due()),
                );
                let accepted = due.map(|d| (d.due.format("%Y-%m-%d").to_string(), d.estimated));
                store
                    .apply_update(
                        &item.id,
                        &item.department,
                        &u.update_id,
                        current,
                        u.status,
                        u.at.timestamp_millis(),
                        accepted,
                        &entry,
                    )
                    .await?;
                if u.update_id == this {
                    result = Intake::Applied;
                }
                item = store
                    .item_for_department(&item.department, &item.id)
                    .await?
                    .ok_or(EdgeError::NotFound)?;
                continue 'outer;
            }
            if u.status.is_past_step_of(current) {
                let entry = entry_for(
                    catalog,
                    event_id,
                    &item.item_id,
                    u.status,
                    Some(&u),
                    u.at,
                    item.due(),
                );
                store
                    .record_past_step(
                        &item.id,
                        &item.department,
                        &u.update_id,
                        u.status,
                        u.at.timestamp_millis(),
                        &entry,
                    )
                    .await?;
                if u.update_id == this {
                    result = Intake::Stale;
                }
            } else if u.status == current
                || u.status.progress() < current.progress()
                || current.is_terminal()
            {
                store
                    .discard_update(&item.department, &pending.update_id)
                    .await?;
                if u.update_id == this {
                    result = Intake::Stale;
                }
            }
        }
        break;
    }
    Ok(result)
}
