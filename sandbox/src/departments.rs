//! Every department in the catalog: receives signed applications, answers
//! like a real platform would (or fails, per its scenario, or is in an
//! announced maintenance window), then moves each application through its
//! statuses. Each step is kept for polling and, unless the department has no
//! webhooks, also posted to the edge's webhook, signed.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use banshi_core::api::{
    CorrectionPoint, DepartmentSubmission, DepartmentSupplement, DepartmentUpdate, MandateVerdict,
    RelayedMaterial, RelayedProvision,
};
use banshi_core::catalog::{Catalog, Delivery};
use banshi_core::platform::{MaintenanceAnnouncement, MaintenanceWindow, UpdateLog};
use banshi_core::status::ItemStatus;
use banshi_core::Text;
use serde::{Deserialize, Serialize};

use crate::{wire, AppState};

/// How a department behaves; changed by tests through `/_sandbox`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Answer every relay with 500 (the platform is down).
    pub down: bool,
    /// Answer every relay with 503 and a maintenance notice.
    pub maintenance: bool,
    /// Announced maintenance (`GET …/maintenance`); a relay inside one is a 503.
    pub maintenance_windows: Vec<MaintenanceWindow>,
    /// Fail this many relays, then recover.
    pub fail_next: u32,
    /// Take this many relays (recorded and walked as usual) but answer them
    /// with a 500, as if the answer were lost on the way back: the edge
    /// cannot tell whether the department has them.
    pub lose_answers: u32,
    /// Refuse every relay for good (422): a permanent error, not an outage.
    pub refuse: bool,
    /// Probability (0–1) that a relay is taken but its answer lost (a 500,
    /// as a timeout looks to the edge).
    pub lost_answer_rate: f64,
    /// Probability (0–1) that a webhook is never sent (the update stays in
    /// the log a poll reads).
    pub webhook_drop_rate: f64,
    /// Probability (0–1) that a webhook is sent twice.
    pub webhook_duplicate_rate: f64,
    /// Probability (0–1) that a webhook is held back so the next one
    /// arrives first.
    pub webhook_delay_rate: f64,
    /// Probability (0–1) that a relay fails at random (seeded).
    pub error_rate: f64,
    /// Probability (0–1) that a new application first gets a correction
    /// request (补正) before acceptance (seeded; ignored with a `script`).
    pub correction_rate: f64,
    /// Probability (0–1) that a new application is refused after review
    /// (seeded; ignored with a `script`).
    pub rejection_rate: f64,
    /// Delay before answering a relay.
    pub latency_ms: u64,
    /// Time between status steps.
    pub step_ms: u64,
    /// The statuses to go through; `None` = the usual path for the item.
    pub script: Option<Vec<ItemStatus>>,
    /// Never call the webhook: the edge must poll `…/updates` (the walk
    /// through the statuses goes on either way).
    pub no_webhook: bool,
    /// What a correction request (补正) names; `None` = the item's first material.
    pub corrections: Option<Vec<CorrectionPoint>>,
    /// What the department makes of a paper 授权委托书 relayed with a new
    /// application: verify it on acceptance (the default), refuse it (and
    /// the application), or leave it unchecked.
    pub mandates: MandateCheck,
}

/// The department's way with paper mandates; `Scenario::mandates`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MandateCheck {
    #[default]
    Verify,
    Refuse,
    Ignore,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            down: false,
            maintenance: false,
            maintenance_windows: Vec::new(),
            fail_next: 0,
            lose_answers: 0,
            refuse: false,
            lost_answer_rate: 0.0,
            webhook_drop_rate: 0.0,
            webhook_duplicate_rate: 0.0,
            webhook_delay_rate: 0.0,
            error_rate: 0.0,
            correction_rate: 0.0,
            rejection_rate: 0.0,
            latency_ms: 0,
            step_ms: 1500,
            script: None,
            no_webhook: false,
            corrections: None,
            mandates: MandateCheck::Verify,
        }
    }
}

impl Scenario {
    /// No faults, at the pace the sandbox was started with (`--step-ms`).
    pub fn with_step_ms(step_ms: u64) -> Self {
        Scenario {
            step_ms,
            ..Scenario::default()
        }
    }
}

/// What a department holds for one external id.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    pub external_id: String,
    pub item_id: String,
    pub applicant_name: String,
    /// How many times the edge delivered it (retries included).
    pub deliveries: u32,
    /// Statuses the edge's webhook took so far (none without webhooks).
    pub sent: Vec<ItemStatus>,
    /// Every update the department made, oldest first, webhook or not: what
    /// a poll of `…/updates` answers.
    pub updates: Vec<DepartmentUpdate>,
    /// The applicant withdrew it before acceptance; no further updates.
    pub withdrawn: bool,
    /// The latest revision received (resubmissions after 补正 count up).
    pub revision: u32,
    /// Steps still to come after a correction request, resumed on resubmission.
    #[serde(skip)]
    pub after_correction: Vec<ItemStatus>,
    /// The materials as relayed with the latest revision (what the
    /// department was told; only this item's).
    pub materials: Vec<RelayedMaterial>,
    /// The field keys it received with the latest revision.
    pub field_keys: Vec<String>,
    /// Every page the department fetched from the edge, as it arrived.
    pub fetched: Vec<Fetched>,
    /// Deferred materials provided later (容缺补交), by supplement id.
    pub supplements: Vec<String>,
    /// Who applied for the applicant (经办人), if someone else did.
    pub agent_name: Option<String>,
    /// Pages of a paper mandate relayed with the application.
    pub mandate_pages: usize,
    /// The department has taken its last step for this case.
    pub finished: bool,
}

/// One page a department fetched from the edge: what arrived.
#[derive(Debug, Clone, Serialize)]
pub struct Fetched {
    pub material_id: String,
    pub attachment_id: String,
    /// The revision (or supplement) it came with.
    pub revision: u32,
    pub supplement: Option<String>,
    /// The HTTP status of the fetch.
    pub status: u16,
    pub size: u64,
    pub sha256: String,
    /// The bytes hash to what the relay said.
    pub matches: bool,
}

#[derive(Debug, Default)]
pub struct Department {
    pub scenario: Scenario,
    pub received: BTreeMap<String, Received>,
}

/// The usual path after receipt, from the catalog: a card is made and then
/// posted or picked up; an electronic result is done on approval.
fn usual_path(event_id: &str, item_id: &str) -> Vec<ItemStatus> {
    use ItemStatus::*;
    let mut path = vec![Accepted, UnderReview, Approved];
    let item = Catalog::embedded()
        .event(event_id)
        .and_then(|e| e.item(item_id));
    if let Some(item) = item {
        if item.produces_card {
            path.push(Producing);
        }
        if item.delivery.contains(&Delivery::Post) {
            path.extend([Posted, Delivered]);
        } else if item.delivery.contains(&Delivery::Pickup) {
            path.extend([ReadyForPickup, Delivered]);
        }
    }
    path
}

/// The usual path with the scenario's random turns: a correction request
/// before acceptance (一次性告知 at intake), or a refusal after review.
fn sampled_path(usual: Vec<ItemStatus>, correct: bool, reject: bool) -> Vec<ItemStatus> {
    use ItemStatus::*;
    let mut path = usual;
    if reject {
        path = vec![Accepted, UnderReview, Rejected];
    }
    if correct {
        path.insert(0, CorrectionRequired);
    }
    path
}

fn reply(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

fn unknown_department() -> Response {
    wire::error(StatusCode::NOT_FOUND, "unknown department")
}

/// Why a relay is refused, decided under the lock, answered after the latency.
enum Failure {
    Maintenance(Option<MaintenanceWindow>),
    Error,
    Refused,
}

/// `POST /departments/{dept}/applications`
pub async fn receive(
    State(state): State<AppState>,
    Path(dept): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if Catalog::embedded().department(&dept).is_none() {
        return unknown_department();
    }
    let key = state.config.department_key(&dept);
    if let Err(refused) = wire::verify(key, &dept, &Method::POST, &uri, &headers, &body) {
        return refused.into_response();
    }
    let Ok(submission) = serde_json::from_slice::<DepartmentSubmission>(&body) else {
        return reply(
            StatusCode::BAD_REQUEST,
            serde_json::json!({"error": "malformed submission"}),
        );
    };
    let (latency, fail, first_time, scenario, resume, new_revision, lose_answer) = {
        let mut inner = state.inner.lock().expect("sandbox state");
        let (random_failure, random_loss) = {
            let s = &inner.departments.entry(dept.clone()).or_default().scenario;
            let (error, loss) = (s.error_rate, s.lost_answer_rate);
            (inner.rng.chance(error), inner.rng.chance(loss))
        };
        let d = inner.departments.entry(dept.clone()).or_default();
        let s = d.scenario.clone();
        let window = s
            .maintenance_windows
            .iter()
            .find(|w| w.covers(chrono::Utc::now()))
            .cloned();
        let fail = if s.maintenance || window.is_some() {
            Some(Failure::Maintenance(window))
        } else if s.refuse {
            Some(Failure::Refused)
        } else if s.down || random_failure {
            Some(Failure::Error)
        } else if d.scenario.fail_next > 0 {
            d.scenario.fail_next -= 1;
            Some(Failure::Error)
        } else {
            None
        };
        let mut first_time = false;
        let mut new_revision = false;
        let lose_answer = fail.is_none() && (d.scenario.lose_answers > 0 || random_loss);
        if lose_answer && d.scenario.lose_answers > 0 {
            d.scenario.lose_answers -= 1;
        }
        let mut resume = Vec::new();
        if fail.is_none() {
            let entry = d
                .received
                .entry(submission.external_id.clone())
                .or_insert_with(|| {
                    first_time = true;
                    Received {
                        external_id: submission.external_id.clone(),
                        item_id: submission.item_id.clone(),
                        applicant_name: submission.applicant.name.clone(),
                        deliveries: 0,
                        sent: Vec::new(),
                        updates: Vec::new(),
                        withdrawn: false,
                        revision: submission.revision,
                        after_correction: Vec::new(),
                        materials: Vec::new(),
                        field_keys: Vec::new(),
                        fetched: Vec::new(),
                        supplements: Vec::new(),
                        agent_name: submission.agent.as_ref().map(|a| a.name.clone()),
                        mandate_pages: submission.agent.as_ref().map_or(0, |a| a.mandate.len()),
                        finished: false,
                    }
                });
            entry.deliveries += 1;
            if submission.revision > entry.revision {
                // A corrected resubmission: pick up where the correction stopped.
                entry.revision = submission.revision;
                resume = std::mem::take(&mut entry.after_correction);
                new_revision = true;
            }
            if first_time || new_revision {
                entry.materials = submission.materials.clone();
                entry.field_keys = submission.fields.keys().cloned().collect();
            }
        }
        (
            s.latency_ms,
            fail,
            first_time,
            s,
            resume,
            new_revision,
            lose_answer,
        )
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match fail {
        Some(Failure::Maintenance(None)) => {
            return wire::error(
                StatusCode::SERVICE_UNAVAILABLE,
                "系统维护中 / under maintenance",
            )
        }
        // Same error as an unannounced one, plus what was announced, so the
        // edge can say until when.
        Some(Failure::Maintenance(Some(w))) => {
            return reply(
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({
                    "error": "系统维护中 / under maintenance",
                    "notice": w.notice,
                    "until": w.ends_at,
                }),
            )
        }
        Some(Failure::Error) => {
            return wire::error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
        Some(Failure::Refused) => {
            return wire::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "申请格式不被本部门系统接受 / not accepted by this department's system",
            )
        }
        None => {}
    }
    let corrections = scenario
        .corrections
        .clone()
        .unwrap_or_else(|| default_correction(&submission));
    let mandate = submission
        .agent
        .as_ref()
        .filter(|a| first_time && !a.mandate.is_empty())
        .map(|_| scenario.mandates);
    let walk = if mandate == Some(MandateCheck::Refuse) {
        vec![ItemStatus::Rejected]
    } else if first_time {
        scenario.script.clone().unwrap_or_else(|| {
            let (correct, reject) = {
                let mut inner = state.inner.lock().expect("sandbox state");
                (
                    inner.rng.chance(scenario.correction_rate),
                    inner.rng.chance(scenario.rejection_rate),
                )
            };
            sampled_path(
                usual_path(&submission.event_id, &submission.item_id),
                correct,
                reject,
            )
        })
    } else {
        resume
    };
    // A department fetches the pages relayed with a new item or revision
    // (and a paper mandate's, to check it).
    if first_time || new_revision {
        let mut pages = submission.materials.clone();
        if let Some(a) = submission.agent.as_ref().filter(|a| !a.mandate.is_empty()) {
            pages.push(RelayedMaterial {
                material_id: "mandate".into(),
                name: "授权委托书".into(),
                provision: RelayedProvision::Upload {
                    attachments: a.mandate.clone(),
                },
            });
        }
        tokio::spawn(fetch_pages(
            state.clone(),
            dept.clone(),
            submission.external_id.clone(),
            pages,
            submission.revision,
            None,
        ));
    }
    let verdict = match mandate {
        Some(MandateCheck::Verify) => Some(MandateVerdict::Verified),
        Some(MandateCheck::Refuse) => Some(MandateVerdict::Refused),
        _ => None,
    };
    if !walk.is_empty() {
        tokio::spawn(progress(
            state.clone(),
            dept.clone(),
            submission.external_id.clone(),
            walk,
            corrections,
            scenario.step_ms,
            verdict,
        ));
    }
    if lose_answer {
        return wire::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (answer lost)",
        );
    }
    // A re-delivery of a known external id is acknowledged, not duplicated.
    reply(
        StatusCode::ACCEPTED,
        serde_json::json!({"received": true, "external_id": submission.external_id, "duplicate": !first_time}),
    )
}

/// A plausible correction: the item's first material (as relayed, else
/// from the catalog) is not legible; the target names it `material:<id>`.
fn default_correction(s: &DepartmentSubmission) -> Vec<CorrectionPoint> {
    let material = s
        .materials
        .first()
        .map(|m| format!("material:{}", m.material_id))
        .or_else(|| {
            Catalog::embedded()
                .event(&s.event_id)
                .and_then(|e| e.item(&s.item_id))
                .and_then(|i| i.materials.first())
                .map(|m| format!("material:{}", m.id))
        })
        .unwrap_or_else(|| "申请表".into());
    vec![CorrectionPoint {
        target: material,
        reason: Text::new("上传的图片看不清，无法核对", "The uploaded image is not legible"),
        fix: Text::new(
            "请在光线充足处重新拍照，四个角都拍进去、字迹清楚，再重新提交这一项",
            "Take a new photo in good light with all four corners and clear text, then resubmit this item",
        ),
    }]
}

/// Walk one application through `script`, one update per step: kept for
/// polling, and posted to the webhook unless the department (as its scenario
/// says at that step) has none. A correction request pauses the walk until
/// the resident resubmits. A paper mandate's verdict rides on acceptance
/// (or on the refusal).
async fn progress(
    state: AppState,
    dept: String,
    external_id: String,
    script: Vec<ItemStatus>,
    corrections: Vec<CorrectionPoint>,
    step_ms: u64,
    mut verdict: Option<MandateVerdict>,
) {
    let revision = {
        let inner = state.inner.lock().expect("sandbox state");
        inner
            .departments
            .get(&dept)
            .and_then(|d| d.received.get(&external_id))
            .map_or(0, |r| r.revision)
    };
    for (i, status) in script.iter().copied().enumerate() {
        tokio::time::sleep(Duration::from_millis(step_ms)).await;
        let correction = status == ItemStatus::CorrectionRequired;
        let update = DepartmentUpdate {
            // The same id for a poll and a webhook of one step, so the edge
            // applies it once whichever way it arrives.
            update_id: format!("{dept}-{external_id}-r{revision}-{i}"),
            external_id: external_id.clone(),
            status,
            at: chrono::Utc::now(),
            // A refusal always gives its reason, as the law requires (告知理由).
            message: (status == ItemStatus::Rejected).then(|| {
                if verdict == Some(MandateVerdict::Refused) {
                    Text::new(
                        "授权委托书无法核实（签名或身份证明不符），不予受理",
                        "The power of attorney could not be verified (signature or ID does not match)",
                    )
                } else {
                    Text::new(
                        "经审查，申请人不符合办理条件（缴费年限不足）",
                        "On review, the applicant does not qualify (not enough contribution years)",
                    )
                }
            }),
            corrections: if correction {
                corrections.clone()
            } else {
                Vec::new()
            },
            mandate: if matches!(status, ItemStatus::Accepted | ItemStatus::Rejected) {
                verdict.take()
            } else {
                None
            },
        };
        let webhook = {
            let mut inner = state.inner.lock().expect("sandbox state");
            let Some(d) = inner.departments.get_mut(&dept) else {
                return;
            };
            let webhook = !d.scenario.no_webhook;
            let Some(r) = d.received.get_mut(&external_id) else {
                return;
            };
            if r.withdrawn {
                return;
            }
            // Recorded before the webhook is tried: a department that has
            // decided a step shows it to a poll even if its callback fails.
            r.updates.push(update.clone());
            if correction {
                // Resumed by the corrected resubmission, which may follow a
                // poll before any webhook.
                r.after_correction = script[i + 1..].to_vec();
            }
            webhook
        };
        if webhook {
            let (drop, twice, late) = {
                let mut inner = state.inner.lock().expect("sandbox state");
                let s = inner
                    .departments
                    .get(&dept)
                    .map(|d| d.scenario.clone())
                    .unwrap_or_default();
                (
                    inner.rng.chance(s.webhook_drop_rate),
                    inner.rng.chance(s.webhook_duplicate_rate),
                    inner.rng.chance(s.webhook_delay_rate),
                )
            };
            if drop {
                // Lost on the way: only a poll of the log will find it.
                if correction {
                    return;
                }
                continue;
            }
            if late {
                // Sent after the next step's: out of order.
                let (state, dept, update) = (state.clone(), dept.clone(), update.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(step_ms * 2 + 50)).await;
                    send_update(&state, &dept, &update).await;
                });
                if correction {
                    return;
                }
                continue;
            }
            // A department decides whether or not its callback got
            // through; a failed one is still in the log a poll reads.
            if send_update(&state, &dept, &update).await {
                if twice {
                    send_update(&state, &dept, &update).await;
                }
                let mut inner = state.inner.lock().expect("sandbox state");
                if let Some(r) = inner
                    .departments
                    .get_mut(&dept)
                    .and_then(|d| d.received.get_mut(&external_id))
                {
                    r.sent.push(status);
                }
            }
        }
        if correction {
            return;
        }
    }
    let mut inner = state.inner.lock().expect("sandbox state");
    if let Some(r) = inner
        .departments
        .get_mut(&dept)
        .and_then(|d| d.received.get_mut(&external_id))
    {
        r.finished = true;
    }
}

/// Fetch every uploaded page of `materials` from the edge (a signed GET,
/// department key) and record what arrived: size, hash, and whether it is
/// what the relay said.
async fn fetch_pages(
    state: AppState,
    dept: String,
    external_id: String,
    materials: Vec<RelayedMaterial>,
    revision: u32,
    supplement: Option<String>,
) {
    for m in &materials {
        let RelayedProvision::Upload { attachments } = &m.provision else {
            continue;
        };
        for a in attachments {
            let url = format!("{}{}", state.config.edge_url, a.path);
            let signed = wire::sign(
                state.config.department_key(&dept),
                &dept,
                "GET",
                &a.path,
                b"",
            );
            let (status, bytes) = tokio::task::spawn_blocking(move || {
                let [(h1, v1), (h2, v2)] = signed;
                match ureq::get(&url)
                    .header(&h1, &v1)
                    .header(&h2, &v2)
                    .config()
                    .http_status_as_error(false)
                    .build()
                    .call()
                {
                    Ok(mut r) => {
                        let status = r.status().as_u16();
                        let bytes = r
                            .body_mut()
                            .with_config()
                            .limit(16 * 1024 * 1024)
                            .read_to_vec()
                            .unwrap_or_default();
                        (status, bytes)
                    }
                    Err(_) => (0, Vec::new()),
                }
            })
            .await
            .unwrap_or((0, Vec::new()));
            let sha256 = banshi_core::digest::sha256_hex(&bytes);
            let fetched = Fetched {
                material_id: m.material_id.clone(),
                attachment_id: a.id.clone(),
                revision,
                supplement: supplement.clone(),
                status,
                size: bytes.len() as u64,
                matches: status == 200 && sha256 == a.sha256 && bytes.len() as u64 == a.size,
                sha256,
            };
            let mut inner = state.inner.lock().expect("sandbox state");
            if let Some(r) = inner
                .departments
                .get_mut(&dept)
                .and_then(|d| d.received.get_mut(&external_id))
            {
                r.fetched.push(fetched);
            }
        }
    }
}

/// `POST /departments/{dept}/applications/{external_id}/materials`: a
/// deferred material provided later. Idempotent on `supplement_id`; the
/// pages are fetched like those of an item.
pub async fn supplement(
    State(state): State<AppState>,
    Path((dept, external_id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let key = state.config.department_key(&dept);
    if let Err(refused) = wire::verify(key, &dept, &Method::POST, &uri, &headers, &body) {
        return refused.into_response();
    }
    let s: DepartmentSupplement = match wire::parse(&body) {
        Ok(s) => s,
        Err(refused) => return refused.into_response(),
    };
    if s.external_id != external_id {
        return wire::error(
            StatusCode::BAD_REQUEST,
            "external_id does not match the path",
        );
    }
    let (fail, revision, first) = {
        let mut inner = state.inner.lock().expect("sandbox state");
        let random_failure = {
            let rate = inner
                .departments
                .get(&dept)
                .map_or(0.0, |d| d.scenario.error_rate);
            inner.rng.chance(rate)
        };
        let Some(d) = inner.departments.get_mut(&dept) else {
            return unknown_department();
        };
        let fail = d.scenario.down || d.scenario.maintenance || random_failure;
        let Some(r) = d.received.get_mut(&external_id) else {
            return wire::error(StatusCode::NOT_FOUND, "unknown external id");
        };
        let first = !r.supplements.contains(&s.supplement_id);
        if !fail && first {
            r.supplements.push(s.supplement_id.clone());
            r.materials
                .retain(|m| m.material_id != s.material.material_id);
            r.materials.push(s.material.clone());
        }
        (fail, r.revision, first)
    };
    if fail {
        return wire::error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
    }
    if first {
        tokio::spawn(fetch_pages(
            state.clone(),
            dept,
            external_id,
            vec![s.material],
            revision,
            Some(s.supplement_id.clone()),
        ));
    }
    reply(
        StatusCode::ACCEPTED,
        serde_json::json!({"received": true, "supplement_id": s.supplement_id, "duplicate": !first}),
    )
}

/// POST a signed update to the edge, retrying a few times like a real platform.
pub async fn send_update(state: &AppState, dept: &str, update: &DepartmentUpdate) -> bool {
    let path = format!("/api/webhooks/departments/{dept}");
    let url = format!("{}{path}", state.config.edge_url);
    let body = serde_json::to_vec(update).expect("serialisable update");
    for attempt in 0..5u64 {
        // A slot first, then the signature: one signed and then kept waiting
        // for a slot could be too old for the edge when it goes.
        let permit = state.callbacks.clone().acquire_owned().await;
        let signed = wire::sign(
            state.config.department_key(dept),
            dept,
            "POST",
            &path,
            &body,
        );
        let (url, body) = (url.clone(), body.clone());
        // Held while the call is open (not during the backoff), so the
        // bound holds even for a call given up on below.
        let call = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let [(h1, v1), (h2, v2)] = signed;
            ureq::post(&url)
                .header("content-type", "application/json")
                .header(&h1, &v1)
                .header(&h2, &v2)
                .send(&body[..])
                .is_ok()
        });
        let ok = matches!(
            tokio::time::timeout(Duration::from_secs(10), call).await,
            Ok(Ok(true))
        );
        if ok {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(500 * (attempt + 1))).await;
    }
    eprintln!(
        "sandbox: webhook to the edge failed for {}",
        update.external_id
    );
    false
}

/// `POST /departments/{dept}/applications/{external_id}/withdraw`: the
/// applicant withdraws. Allowed only before acceptance (受理); afterwards the
/// department answers 409 and the item goes on.
pub async fn withdraw(
    State(state): State<AppState>,
    Path((dept, external_id)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let key = state.config.department_key(&dept);
    if let Err(refused) = wire::verify(key, &dept, &Method::POST, &uri, &headers, &body) {
        return refused.into_response();
    }
    let mut inner = state.inner.lock().expect("sandbox state");
    let random_failure = {
        let rate = inner
            .departments
            .get(&dept)
            .map_or(0.0, |d| d.scenario.error_rate);
        inner.rng.chance(rate)
    };
    let Some(d) = inner.departments.get_mut(&dept) else {
        return unknown_department();
    };
    if d.scenario.down || d.scenario.maintenance || random_failure {
        return wire::error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
    }
    let r = d
        .received
        .entry(external_id.clone())
        .or_insert_with(|| Received {
            // Never received: remembered as withdrawn, so a relay that was
            // already on its way is taken as closed, not as a new case.
            external_id: external_id.clone(),
            item_id: String::new(),
            applicant_name: String::new(),
            deliveries: 0,
            sent: Vec::new(),
            updates: Vec::new(),
            withdrawn: true,
            revision: 0,
            after_correction: Vec::new(),
            materials: Vec::new(),
            field_keys: Vec::new(),
            fetched: Vec::new(),
            supplements: Vec::new(),
            agent_name: None,
            mandate_pages: 0,
            finished: false,
        });
    // What the department decided, not what reached the edge: without
    // webhooks an accepted item is just as accepted.
    if r.updates
        .iter()
        .any(|u| u.status != ItemStatus::CorrectionRequired)
    {
        return wire::error(StatusCode::CONFLICT, "already accepted");
    }
    let known = r.deliveries > 0;
    r.withdrawn = true;
    reply(
        StatusCode::OK,
        serde_json::json!({"withdrawn": true, "known": known}),
    )
}

/// `GET /departments/{dept}/maintenance`, signed GET with the department key:
/// the windows the department has announced.
pub async fn maintenance(
    State(state): State<AppState>,
    Path(dept): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if Catalog::embedded().department(&dept).is_none() {
        return unknown_department();
    }
    let key = state.config.department_key(&dept);
    if let Err(refused) = wire::verify(key, &dept, &Method::GET, &uri, &headers, b"") {
        return refused.into_response();
    }
    let inner = state.inner.lock().expect("sandbox state");
    let windows = inner
        .departments
        .get(&dept)
        .map(|d| d.scenario.maintenance_windows.clone())
        .unwrap_or_default();
    Json(MaintenanceAnnouncement { windows }).into_response()
}

/// `GET /departments/{dept}/applications/{external_id}/updates`, signed GET
/// with the department key: every update so far, oldest first, for an edge
/// polling a department without webhooks.
pub async fn updates(
    State(state): State<AppState>,
    Path((dept, external_id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if Catalog::embedded().department(&dept).is_none() {
        return unknown_department();
    }
    let key = state.config.department_key(&dept);
    if let Err(refused) = wire::verify(key, &dept, &Method::GET, &uri, &headers, b"") {
        return refused.into_response();
    }
    let inner = state.inner.lock().expect("sandbox state");
    match inner
        .departments
        .get(&dept)
        .and_then(|d| d.received.get(&external_id))
    {
        Some(r) => Json(UpdateLog {
            updates: r.updates.clone(),
        })
        .into_response(),
        None => wire::error(StatusCode::NOT_FOUND, "unknown external id"),
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;
    use ItemStatus::*;

    #[test]
    fn random_turns_follow_the_transition_table() {
        let usual = usual_path("social-security-card", "ssc-apply");
        for (correct, reject) in [(false, false), (true, false), (false, true), (true, true)] {
            let path = sampled_path(usual.clone(), correct, reject);
            assert_eq!(path.first() == Some(&CorrectionRequired), correct);
            assert_eq!(path.last() == Some(&Rejected), reject);
            // Every step is allowed from the one before (a correction is
            // followed by the resident's resubmission, i.e. from Submitted).
            let mut from = Submitted;
            for to in path {
                assert!(from.can_move_to(to), "{from:?} -> {to:?}");
                from = if to == CorrectionRequired {
                    Submitted
                } else {
                    to
                };
            }
        }
    }
}
