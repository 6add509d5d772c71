//! The relay: one queue job per item (or per supplement: a deferred material
//! provided later), POSTed to the department with a signature and the same
//! id every time, so the department can de-duplicate. Failures are retried
//! with backoff for as long as it takes; the resident sees "delayed, we keep
//! trying", never "failed". A department gets only what its item needs:
//! the item's own fields and materials, from the application's snapshot.

use std::time::Duration;

use banshi_core::api::{
    Applicant, Basis, DepartmentSubmission, DepartmentSupplement, Provision, RelayState,
    RelayedAgent, RelayedAttachment, RelayedMaterial, RelayedProvision,
};
use banshi_core::application::{ItemSnapshot, Snapshot};
use banshi_core::catalog::Catalog;
use banshi_core::delegation::Authority;
use banshi_core::relay::backoff_secs;
use serde::{Deserialize, Serialize};
use worker::Env;

use crate::config::{DepartmentLink, Platforms, RELAY_QUEUE};
use crate::error::{EdgeError, EdgeResult};
use crate::platform::Answer;
use crate::store::{corrupt, MaterialRow, RelayRow, Store};
use crate::{maintenance, platform};

/// The longest delay a queue message can carry (Cloudflare Queues: 12 h).
const MAX_DELAY_SECS: i64 = 12 * 3600;

/// What a queue message asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Relay the item (its current revision).
    #[default]
    Submit,
    /// Relay the supplement `RelayJob::item` names.
    Supplement,
    /// Ask the department to withdraw the item (a pending withdrawal).
    Withdraw,
}

/// The queue message: just an id; everything else is read fresh from storage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RelayJob {
    /// The item row id, or the supplement id for [`Task::Supplement`].
    pub item: String,
    #[serde(default)]
    pub task: Task,
}

async fn send(env: &Env, jobs: impl Iterator<Item = RelayJob>, delay_secs: u32) -> EdgeResult<()> {
    let queue = env.queue(RELAY_QUEUE)?;
    for job in jobs {
        if delay_secs == 0 {
            queue.send(job).await?;
        } else {
            queue
                .send(
                    worker::MessageBuilder::new(job)
                        .delay_seconds(delay_secs)
                        .build(),
                )
                .await?;
        }
    }
    Ok(())
}

pub async fn enqueue(env: &Env, item_row_ids: &[String], delay_secs: u32) -> EdgeResult<()> {
    let jobs = item_row_ids.iter().map(|id| RelayJob {
        item: id.clone(),
        task: Task::Submit,
    });
    send(env, jobs, delay_secs).await
}

pub async fn enqueue_supplements(env: &Env, ids: &[String], delay_secs: u32) -> EdgeResult<()> {
    let jobs = ids.iter().map(|id| RelayJob {
        item: id.clone(),
        task: Task::Supplement,
    });
    send(env, jobs, delay_secs).await
}

pub async fn enqueue_withdrawals(
    env: &Env,
    item_row_ids: &[String],
    delay_secs: u32,
) -> EdgeResult<()> {
    let jobs = item_row_ids.iter().map(|id| RelayJob {
        item: id.clone(),
        task: Task::Withdraw,
    });
    send(env, jobs, delay_secs).await
}

/// Put a job back on the queue after `secs`.
pub async fn requeue(env: &Env, job: &RelayJob, secs: u32) -> EdgeResult<()> {
    send(env, std::iter::once(job.clone()), secs).await
}

/// What to do with the queue message after one try.
pub enum Next {
    Done,
    RetryIn(u32),
}

pub async fn run(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    job: &RelayJob,
    now: i64,
) -> EdgeResult<Next> {
    match job.task {
        Task::Submit => relay_one(env, store, catalog, &job.item, now).await,
        Task::Supplement => relay_supplement(env, store, catalog, &job.item, now).await,
        Task::Withdraw => crate::withdraw::run(env, store, catalog, &job.item, now).await,
    }
}

/// The item as its application's snapshot describes it.
pub fn snapshot_of(catalog: &Catalog, row: &RelayRow) -> EdgeResult<ItemSnapshot> {
    let snapshot = match &row.snapshot {
        Some(s) => corrupt("applications.snapshot", serde_json::from_str::<Snapshot>(s))?,
        None => Snapshot::from_catalog(catalog, &row.event_id, [row.item_id.as_str()]),
    };
    snapshot
        .item(&row.item_id)
        .cloned()
        .ok_or_else(|| EdgeError::Internal(format!("{}: not in its snapshot", row.id)))
}

/// The materials `snap` lists, as its department receives them. Uploaded
/// pages are opened to that department before it is told about them.
/// The person who applied for the applicant (经办人), as the department is
/// told: who they are, what they are to the applicant and on what basis —
/// with a paper mandate not yet verified, its pages to check with this
/// application (the answer comes back as the update's `mandate`).
async fn relayed_agent(
    store: &Store,
    row: &RelayRow,
    now: i64,
) -> EdgeResult<Option<RelayedAgent>> {
    let (Some(agent), Some(name)) = (&row.acted_by, &row.agent_name) else {
        return Ok(None);
    };
    let Some(authority) = row
        .authority
        .as_deref()
        .and_then(|a| serde_json::from_str::<Authority>(a).ok())
    else {
        return Ok(None);
    };
    let (basis, way, mandate) = match &authority {
        Authority::Own => return Ok(None),
        Authority::Guardian { .. } => (Basis::Guardian, None, Vec::new()),
        Authority::Delegated {
            delegation,
            way,
            pending,
            ..
        } => {
            let mut pages = Vec::new();
            if *pending {
                if let Some(d) = store.delegation(delegation).await? {
                    let ids: Vec<String> = d.mandate_pages();
                    let rows = store.own_attachments(agent, &ids).await?;
                    store
                        .allow_department_fetch(&row.department, &row.id, &ids, now)
                        .await?;
                    pages = rows.iter().map(|a| relayed(&row.department, a)).collect();
                }
            }
            (Basis::Delegation, Some(*way), pages)
        }
    };
    Ok(Some(RelayedAgent {
        name: name.clone(),
        id_number: row.agent_id_number.clone().unwrap_or_default(),
        phone: row.agent_phone.clone().unwrap_or_default(),
        relationship: authority
            .relationship()
            .unwrap_or(banshi_core::delegation::Relationship::OtherRelative),
        basis,
        way,
        mandate,
    }))
}

async fn relayed_materials(
    store: &Store,
    catalog: &Catalog,
    row: &RelayRow,
    snap: &ItemSnapshot,
    stored: &[MaterialRow],
    now: i64,
) -> EdgeResult<Vec<RelayedMaterial>> {
    let mut out = Vec::new();
    for m in &snap.materials {
        let Some(s) = stored.iter().find(|s| s.material_id == m.id) else {
            continue;
        };
        let provision = match s.provision()? {
            Provision::Ecert { ecert } => RelayedProvision::Ecert {
                ecert,
                number: s.ecert_number.clone().unwrap_or_default(),
                issuer: s.ecert_issuer.clone().unwrap_or_default(),
            },
            Provision::Upload { attachments } => {
                let rows = store
                    .own_attachments(&row.resident_id, &attachments)
                    .await?;
                store
                    .allow_department_fetch(&row.department, &row.id, &attachments, now)
                    .await?;
                RelayedProvision::Upload {
                    attachments: attachments
                        .iter()
                        .filter_map(|id| rows.iter().find(|a| &a.id == id))
                        .map(|a| relayed(&row.department, a))
                        .collect(),
                }
            }
            Provision::Promise { signed_at } => RelayedProvision::Promise {
                signed_at,
                text: m
                    .promise
                    .clone()
                    .unwrap_or_else(|| banshi_core::Text::new(&m.name.zh, &m.name.en)),
            },
            Provision::Deferred => RelayedProvision::Deferred {
                due: match (row.accepted_at, m.defer_working_days) {
                    (Some(at), Some(n)) => catalog
                        .calendar()
                        .add_working_days(
                            crate::http::beijing(crate::store::millis(at)).date_naive(),
                            n,
                        )
                        .ok(),
                    _ => None,
                },
            },
        };
        out.push(RelayedMaterial {
            material_id: m.id.clone(),
            name: m.name.zh.clone(),
            provision,
        });
    }
    Ok(out)
}

pub async fn relay_one(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    item_row_id: &str,
    now: i64,
) -> EdgeResult<Next> {
    let Some(row) = store.relay_row(item_row_id).await? else {
        return Ok(Next::Done);
    };
    if matches!(
        row.relay_state,
        RelayState::Delivered | RelayState::FollowingUp
    ) || row.status.is_terminal()
    {
        return Ok(Next::Done);
    }
    let link = Platforms::from_env(env)?.department(env, &row.department)?;
    // Never relay into an announced maintenance window: hold until it ends.
    if let Some(window) = maintenance::current(store, &link, now, false).await? {
        let until = window.ends_at.timestamp_millis();
        store
            .set_relay(
                &row.id,
                row.revision,
                RelayState::Held,
                row.relay_attempts,
                Some(until),
                None,
                now,
            )
            .await?;
        return Ok(Next::RetryIn(hold_secs(until, now)));
    }
    // The attempt is counted before it is made: a withdrawal must then ask
    // the department. Nothing is sent once the item is being withdrawn.
    if !store.claim_relay(&row.id, row.revision, now).await? {
        return Ok(Next::Done);
    }
    let attempts = row.relay_attempts + 1;
    let snap = snapshot_of(catalog, &row)?;
    let values = corrupt("applications.fields", serde_json::from_str(&row.fields))?;
    let stored = store.materials(&row.application_id).await?;
    let submission = DepartmentSubmission {
        external_id: row.id.clone(),
        event_id: row.event_id.clone(),
        item_id: row.item_id.clone(),
        item_name: snap.name.zh.clone(),
        applicant: Applicant {
            name: row.name.clone(),
            id_number: row.id_number.clone(),
            phone: row.phone.clone(),
        },
        fields: snap.own_fields(&values),
        submitted_at: crate::store::millis(row.submitted_at),
        revision: row.revision as u32,
        materials: relayed_materials(store, catalog, &row, &snap, &stored, now).await?,
        agent: relayed_agent(store, &row, now).await?,
    };
    let answer = platform::post(
        &link.adapter.applications_url(),
        link.party(),
        &row.id,
        serde_json::to_string(&submission)?,
        Duration::from_millis(u64::from(link.adapter.timeout_ms)),
    )
    .await?;
    let (state, next) = after(store, &link, &answer, attempts, now).await?;
    if state == RelayState::FollowingUp {
        worker::console_error!(
            "relay {} to {}: refused for good ({})",
            row.id,
            row.department,
            answer.status
        );
    }
    store
        .set_relay(
            &row.id,
            row.revision,
            state,
            attempts,
            next.next_at(now),
            Some(answer.status),
            now,
        )
        .await?;
    Ok(next)
}

/// A deferred material provided later, to one item's department.
async fn relay_supplement(
    env: &Env,
    store: &Store,
    catalog: &Catalog,
    id: &str,
    now: i64,
) -> EdgeResult<Next> {
    let Some(sup) = store.supplement(id).await? else {
        return Ok(Next::Done);
    };
    if matches!(
        sup.relay_state,
        RelayState::Delivered | RelayState::FollowingUp
    ) {
        return Ok(Next::Done);
    }
    let Some(row) = store.relay_row(&sup.item_row_id).await? else {
        return Ok(Next::Done);
    };
    if row.status.is_terminal() {
        return Ok(Next::Done);
    }
    // The department hears of the material after the item itself.
    if row.relay_state != RelayState::Delivered {
        return Ok(Next::RetryIn(5));
    }
    let link = Platforms::from_env(env)?.department(env, &row.department)?;
    let attempts = sup.attempts + 1;
    if let Some(window) = maintenance::current(store, &link, now, false).await? {
        let until = window.ends_at.timestamp_millis();
        store
            .set_supplement_relay(
                &sup.id,
                RelayState::Held,
                attempts - 1,
                Some(until),
                None,
                now,
            )
            .await?;
        return Ok(Next::RetryIn(hold_secs(until, now)));
    }
    let mut snap = snapshot_of(catalog, &row)?;
    snap.materials.retain(|m| m.id == sup.material_id);
    let stored = store.materials(&row.application_id).await?;
    let Some(material) = relayed_materials(store, catalog, &row, &snap, &stored, now)
        .await?
        .pop()
    else {
        return Ok(Next::Done);
    };
    let body = DepartmentSupplement {
        supplement_id: sup.id.clone(),
        external_id: row.id.clone(),
        material,
        provided_at: sup.created_at(),
    };
    let answer = platform::post(
        &link.adapter.supplements_url(&row.id),
        link.party(),
        &sup.id,
        serde_json::to_string(&body)?,
        Duration::from_millis(u64::from(link.adapter.timeout_ms)),
    )
    .await?;
    let (state, next) = after(store, &link, &answer, attempts, now).await?;
    store
        .set_supplement_relay(
            &sup.id,
            state,
            attempts,
            next.next_at(now),
            Some(answer.status),
            now,
        )
        .await?;
    Ok(next)
}

impl Next {
    fn next_at(&self, now: i64) -> Option<i64> {
        match self {
            Next::Done => None,
            Next::RetryIn(secs) => Some(now + i64::from(*secs) * 1000),
        }
    }
}

fn hold_secs(until: i64, now: i64) -> u32 {
    ((until - now + 999) / 1000).clamp(1, MAX_DELAY_SECS) as u32
}

/// The relay state and what to do next after the department's `answer`.
async fn after(
    store: &Store,
    link: &DepartmentLink,
    answer: &Answer,
    attempts: i64,
    now: i64,
) -> EdgeResult<(RelayState, Next)> {
    match answer.status {
        // 409: the department already has this id — delivered before.
        200..=299 | 409 => Ok((RelayState::Delivered, Next::Done)),
        // Refused for good: retrying cannot help; an operator follows it up.
        status if platform::is_permanent(status) => Ok((RelayState::FollowingUp, Next::Done)),
        status => {
            // A 503 may be a window announced after our last look: check now.
            if status == 503 {
                if let Some(window) = maintenance::current(store, link, now, true).await? {
                    let until = window.ends_at.timestamp_millis();
                    return Ok((RelayState::Held, Next::RetryIn(hold_secs(until, now))));
                }
            }
            let mut jitter = [0u8; 1];
            let _ = getrandom::getrandom(&mut jitter);
            let wait = backoff_secs(attempts.saturating_sub(1) as u32, jitter[0]);
            // An unannounced 503 is maintenance too; anything else is a fault.
            let state = if status == 503 {
                RelayState::Held
            } else {
                RelayState::Retrying
            };
            Ok((state, Next::RetryIn(wait)))
        }
    }
}

/// An uploaded page as a department is told of it: where to fetch it (the
/// department's own attachment route) and how to check what it got.
fn relayed(department: &str, a: &crate::store::AttachmentRow) -> RelayedAttachment {
    RelayedAttachment {
        id: a.id.clone(),
        sha256: a.sha256.clone(),
        size: a.size as u64,
        content_type: a.content_type,
        path: format!("/api/departments/{department}/attachments/{}", a.id),
    }
}
