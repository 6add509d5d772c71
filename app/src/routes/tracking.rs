//! `/applications/:app`: the truth about one application, item by item:
//! where each stands (accepted is not done; done is not card-in-hand), what
//! the department said and when, the due date in working days (预计 where the
//! calendar is an estimate), materials still to follow (待补交), and what the
//! resident can do: correct one item, provide a deferred material, withdraw
//! before 受理, rate when everything is done. It refreshes itself while a
//! department can still move something, and stops when nothing can.

use banshi_core::api::{ApplicationView, ItemView, ProvisionKind, RelayState};
use banshi_core::status::ItemStatus;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, Failure};
use crate::components::error::FailureNotice;
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::components::read_aloud::ReadAloud;
use crate::components::status::StatusBadge;
use crate::i18n::{t, use_i18n};
use crate::lang::{date, datetime, tr};
use crate::routes::confirmation::app_id;
use crate::session::use_session;

const REFRESH_MS: u64 = 3000;

/// Can a department still change anything? Items waiting for the resident
/// (a correction) or finished for good cannot move without them.
fn may_change(app: &ApplicationView) -> bool {
    app.items
        .iter()
        .any(|i| !i.status.is_terminal() && i.status != ItemStatus::CorrectionRequired)
}

#[component]
pub fn Tracking() -> impl IntoView {
    let id = app_id();
    let app = LocalResource::new(move || {
        let id = id();
        api::application(&id)
    });
    // The latest view from polling, shown instead of the first load.
    let fresh: RwSignal<Option<ApplicationView>> = RwSignal::new(None);
    let polling = RwSignal::new(true);
    let handle = set_interval_with_handle(
        move || {
            let current = fresh
                .get_untracked()
                .or_else(|| app.get_untracked().and_then(|r| r.ok()));
            if let Some(a) = current {
                if !may_change(&a) {
                    polling.set(false);
                    return;
                }
            }
            polling.set(true);
            let id = id();
            leptos::task::spawn_local(async move {
                if let Ok(a) = api::application_now(&id).await {
                    fresh.set(Some(a));
                }
            });
        },
        std::time::Duration::from_millis(REFRESH_MS),
    );
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    view! {
        <Page>
            {move || Suspend::new(async move {
                let first = app.await?;
                Ok::<_, Failure>(view! {
                    {move || {
                        let a = fresh.get().unwrap_or_else(|| first.clone());
                        view! { <ApplicationBody app=a fresh=fresh polling=polling/> }
                    }}
                })
            })}
        </Page>
    }
}

#[component]
fn ApplicationBody(
    app: ApplicationView,
    fresh: RwSignal<Option<ApplicationView>>,
    polling: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = app.event_name.clone();
    let headline = app.overall.headline.clone();
    let id = app.id.clone();
    let rating = app.rating.clone();
    view! {
        <div class="speak">
            <Heading>{move || tr(&name)}</Heading>
            <p class="overall" role="status">{move || tr(&headline)}</p>
            <p class="reference-line">{t!(i18n, reference_short)}" "<span class="reference" translate="no">{app.reference.to_string()}</span></p>
            <ul class="tracking">
                {app.items.iter().cloned().map(|item| view! { <Item app=id.clone() item=item fresh=fresh/> }).collect_view()}
            </ul>
        </div>
        {move || (!polling.get()).then(|| view! { <p class="hint">{t!(i18n, tracking_stopped)}</p> })}
        {app.can_rate.then(|| view! {
            <A href=format!("/applications/{}/rate", app.id) attr:class="button primary">{t!(i18n, rate_this)}</A>
        })}
        {rating.map(|r| {
            let stars = "★".repeat(usize::from(r.score)) + &"☆".repeat(5 - usize::from(r.score));
            view! { <p class="rated">{t!(i18n, rated)}" "<span aria-label=format!("{}/5", r.score)>{stars}</span></p> }
        })}
        <ReadAloud/>
    }
}

fn relay_note(r: RelayState) -> Option<banshi_core::Text> {
    use banshi_core::Text;
    match r {
        RelayState::Queued => Some(Text::new("正在送往部门", "On its way to the department")),
        RelayState::Retrying => Some(Text::new(
            "部门系统暂时没有响应，我们会一直重试，您不用重新提交",
            "The department's system is not answering; we keep trying, you need not resubmit",
        )),
        // The item's notice says why and until when, or that we follow it up.
        RelayState::Held | RelayState::FollowingUp | RelayState::Delivered => None,
    }
}

#[component]
fn Item(app: String, item: ItemView, fresh: RwSignal<Option<ApplicationView>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let asking = RwSignal::new(false);
    let failure: RwSignal<Option<Failure>> = RwSignal::new(None);
    // Asked for and not yet confirmed by the department: not 已撤回 yet.
    let withdrawing = item.withdrawing;
    let can_withdraw = item.status.can_move_to(ItemStatus::Withdrawn) && !withdrawing;
    let needs_fix = item.status == ItemStatus::CorrectionRequired;
    let withdraw = {
        let (app, row) = (app.clone(), item.id.clone());
        move |_| {
            let (app, row) = (app.clone(), row.clone());
            let csrf = session.csrf().unwrap_or_default();
            leptos::task::spawn_local(async move {
                match api::withdraw(&app, &row, &csrf).await {
                    Ok(a) => {
                        failure.set(None);
                        fresh.set(Some(a));
                    }
                    Err(f) => failure.set(Some(f)),
                }
                asking.set(false);
            });
        }
    };
    let name = item.name.clone();
    let dept = item.department.clone();
    let due = item.due.map(|d| (d, item.time_limit_working_days));
    let notice = item.notice.clone();
    let base = format!("/applications/{}/items/{}", app, item.id);
    let owed: Vec<_> = item
        .materials
        .iter()
        .filter(|m| m.provision == ProvisionKind::Deferred && m.provided_at.is_none())
        .cloned()
        .collect();
    view! {
        <li class=format!("item status-{}", item.status.as_str())>
            <div class="item-head">
                <span class="item-name">{move || tr(&name)}</span>
                <StatusBadge status=item.status/>
            </div>
            <span class="dept">{move || tr(&dept)}</span>
            {relay_note(item.relay).map(|n| view! { <p class="relay-note">{move || tr(&n)}</p> })}
            {notice.map(|n| view! { <div class="notice"><b>{tr(&n.title)}</b><p>{tr(&n.body)}</p></div> })}
            {due.map(|(d, n)| {
                let n = n.unwrap_or(0);
                let day = d.due;
                if d.estimated {
                    view! { <p class="due">{t!(i18n, due_estimated, n, date = move || date(day))}</p> }.into_any()
                } else {
                    view! { <p class="due">{t!(i18n, due_by, n, date = move || date(day))}</p> }.into_any()
                }
            })}
            {(!owed.is_empty()).then(|| view! {
                <ul class="owed">
                    {owed.into_iter().map(|m| {
                        let mname = m.name.clone();
                        let href = format!("{base}/materials/{}", m.material_id);
                        let due = m.due.map(|d| d.due);
                        view! {
                            <li>
                                <span class="tag warning">{t!(i18n, to_follow)}</span>
                                <span>{move || tr(&mname)}</span>
                                {due.map(|d| view! { <span class="when">{t!(i18n, to_follow_by, date = move || date(d))}</span> })}
                                <A href=href attr:class="button secondary small">{t!(i18n, provide_now)}</A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {needs_fix.then(|| view! {
                <A href=format!("{base}/correct") attr:class="button primary">{t!(i18n, correct_this)}</A>
            })}
            {withdrawing.then(|| view! { <p class="relay-note">{t!(i18n, withdrawing)}</p> })}
            {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
            {can_withdraw.then(|| view! {
                {move || if asking.get() {
                    view! {
                        <div class="confirm" role="alert">
                            <p>{t!(i18n, withdraw_confirm)}</p>
                            <button type="button" class="button warning" on:click=withdraw.clone()>{t!(i18n, withdraw_yes)}</button>
                            <button type="button" class="button secondary" on:click=move |_| asking.set(false)>{t!(i18n, withdraw_no)}</button>
                        </div>
                    }.into_any()
                } else {
                    view! { <button type="button" class="link" on:click=move |_| asking.set(true)>{t!(i18n, withdraw)}</button> }.into_any()
                }}
            })}
            <History entries=item.timeline.clone()/>
        </li>
    }
}

/// The latest entry in full; earlier ones folded, one tap away.
#[component]
fn History(entries: Vec<banshi_core::api::TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let mut newest_first: Vec<_> = entries.into_iter().rev().collect();
    let older = newest_first.split_off(newest_first.len().min(1));
    let older_count = older.len();
    view! {
        <ol class="timeline">{newest_first.into_iter().map(entry).collect_view()}</ol>
        {(older_count > 0).then(|| view! {
            <details class="history">
                <summary>{t!(i18n, earlier_steps, count = older_count)}</summary>
                <ol class="timeline">{older.into_iter().map(entry).collect_view()}</ol>
            </details>
        })}
    }
}

fn entry(e: banshi_core::api::TimelineEntry) -> impl IntoView {
    let title = e.title.clone();
    let body = e.body.clone();
    view! {
        <li class=format!("entry status-{}", e.status.as_str())>
            <time datetime=e.at.to_rfc3339()>{move || datetime(e.at)}</time>
            <b>{move || tr(&title)}</b>
            <p>{move || tr(&body)}</p>
        </li>
    }
}
