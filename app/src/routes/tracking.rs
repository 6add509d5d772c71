//! `/applications/:id`: one application's truth, item by item: where each
//! stands, what the department said and when, and the due date counted in
//! working days from acceptance. Refreshes itself while a department is
//! working; lets the resident withdraw before 受理 and correct after 补正.

use banshi_core::api::{ApiError, ApplicationView, ItemView, RelayState};
use banshi_core::catalog::{Catalog, Field};
use banshi_core::guide::FieldValues;
use banshi_core::message::china_time;
use banshi_core::status::ItemStatus;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::bi::{bi, Bi};
use crate::components::error::ErrorSummary;
use crate::session::use_session;

const REFRESH_MS: u64 = 3000;

fn relay_note(r: RelayState) -> Option<Text> {
    match r {
        RelayState::Queued => Some(Text::new("正在送往部门", "On its way to the department")),
        RelayState::Retrying => Some(Text::new(
            "部门系统暂时没有响应，我们会一直重试，您不用重新提交",
            "The department's system is not answering; we keep trying, you need not resubmit",
        )),
        RelayState::Held => Some(Text::new(
            "部门系统维护中，维护结束后自动送达，您不用重新提交",
            "The department's system is under maintenance; it will be sent automatically afterwards",
        )),
        // The item's notice says we are following it up.
        RelayState::Delivered | RelayState::FollowingUp => None,
    }
}

/// Asks "are you sure", in plain words, before an action that cannot be undone.
fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// What the tracking page's item actions share.
#[derive(Clone, Copy)]
struct Actions {
    withdraw: Action<String, ()>,
    resubmit: Action<String, ()>,
    /// Corrected values being typed, kept outside the refreshed view.
    edits: RwSignal<FieldValues>,
    errors: RwSignal<Vec<FieldError>>,
}

/// The fields of one item to correct, prefilled with what was submitted.
fn correction_form(
    event_id: &str,
    item: &ItemView,
    stored: &FieldValues,
    actions: Actions,
) -> impl IntoView {
    let fields: Vec<&'static Field> = Catalog::embedded()
        .event(event_id)
        .map(|e| {
            e.fields
                .iter()
                .filter(|f| f.items.contains(&item.item_id))
                .collect()
        })
        .unwrap_or_default();
    let item_id = item.id.clone();
    view! {
        <div class="correction">
            <p><b>{bi("请按上面的说明修改，然后重新提交这一项：", "Fix what is asked above, then resubmit this item:")}</b></p>
            {fields.into_iter().map(|f| {
                let key = f.key.clone();
                let key2 = key.clone();
                let key3 = key.clone();
                let stored = stored.get(&key).cloned().unwrap_or_default();
                let id = format!("fix-{key}");
                view! {
                    <div class="field">
                        <label for=id.clone()><Bi text=f.label.clone()/></label>
                        {move || actions.errors.with(|e| e.iter().find(|x| x.field == key3).map(|x| x.message.clone()))
                            .map(|m| view! { <p class="field-error"><Bi text=m/></p> })}
                        <input id=id type="text"
                            prop:value=move || actions.edits.with(|e| e.get(&key).cloned().unwrap_or_else(|| stored.clone()))
                            on:input=move |ev| { let v = event_target_value(&ev); actions.edits.update(|e| { e.insert(key2.clone(), v); }); }/>
                    </div>
                }
            }).collect_view()}
            <button class="button primary" disabled=move || actions.resubmit.pending().get()
                on:click=move |_| { actions.resubmit.dispatch(item_id.clone()); }>
                {bi("重新提交这一项", "Resubmit this item")}
            </button>
        </div>
    }
}

fn item_view(
    item: ItemView,
    event_id: &str,
    stored: &FieldValues,
    actions: Actions,
) -> impl IntoView {
    let withdraw = actions.withdraw;
    let correction = (item.status == ItemStatus::CorrectionRequired)
        .then(|| correction_form(event_id, &item, stored, actions));
    let can_withdraw = item.status.can_move_to(ItemStatus::Withdrawn);
    let item_id = item.id.clone();
    let due = match (item.due, item.time_limit_working_days) {
        (Some(d), Some(n)) => Some(Text::new(
            format!(
                "承诺{n}个工作日，预计{}前办结{}",
                d.due.format("%Y年%-m月%-d日"),
                if d.estimated { "（估算）" } else { "" }
            ),
            format!(
                "{n} working days, expected by {}{}",
                d.due.format("%Y-%m-%d"),
                if d.estimated { " (estimate)" } else { "" }
            ),
        )),
        _ => None,
    };
    view! {
        <li class=format!("item status-{}", item.status.as_str())>
            <div class="item-head">
                <b><Bi text=item.name.clone()/></b>
                <span class="badge"><Bi text=item.status_label.clone()/></span>
            </div>
            <span class="dept"><Bi text=item.department.clone()/></span>
            {relay_note(item.relay).map(|t| view! { <p class="relay-note"><Bi text=t/></p> })}
            {due.map(|t| view! { <p class="due"><Bi text=t/></p> })}
            {correction}
            {can_withdraw.then(|| view! {
                <button class="link" disabled=move || withdraw.pending().get() on:click=move |_| {
                    if confirm("确定要撤回这一项申请吗？撤回后需要重新提交。\nWithdraw this item? You would need to apply again.") {
                        withdraw.dispatch(item_id.clone());
                    }
                }>{bi("撤回这一项", "Withdraw this item")}</button>
            })}
            <ol class="timeline">
                {item.timeline.into_iter().rev().map(|e| view! {
                    <li class=format!("entry status-{}", e.status.as_str())>
                        <time datetime=e.at.to_rfc3339()>{china_time(e.at).format("%Y-%m-%d %H:%M").to_string()}</time>
                        <b><Bi text=e.title/></b>
                        <p><Bi text=e.body/></p>
                    </li>
                }).collect_view()}
            </ol>
        </li>
    }
}

fn application_view(app: ApplicationView, actions: Actions) -> impl IntoView {
    let (event_id, stored) = (app.event_id.clone(), app.fields.clone());
    view! {
        <h1><Bi text=app.event_name.clone()/></h1>
        <p class="overall" role="status"><Bi text=app.overall.headline.clone()/></p>
        <p class="hint">{format!("办件编号 Reference: {}", app.id)}</p>
        <ul class="tracking">{app.items.into_iter().map(|i| item_view(i, &event_id, &stored, actions)).collect_view()}</ul>
    }
}

#[component]
pub fn Tracking() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let app = LocalResource::new(move || {
        let id = id();
        async move { api::application(&id).await }
    });
    let session = use_session();
    let action_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let withdraw = Action::new_local(move |item: &String| {
        let (app_id, item) = (id(), item.clone());
        let csrf = session.get().and_then(|s| s.csrf_token).unwrap_or_default();
        async move {
            action_error.set(api::withdraw(&app_id, &item, &csrf).await.err());
            app.refetch();
        }
    });
    let edits: RwSignal<FieldValues> = RwSignal::new(FieldValues::new());
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let resubmit = Action::new_local(move |item: &String| {
        let (app_id, item) = (id(), item.clone());
        let csrf = session.get().and_then(|s| s.csrf_token).unwrap_or_default();
        let values = edits.get_untracked();
        async move {
            match api::resubmit(&app_id, &item, &values, &csrf).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    edits.set(FieldValues::new());
                    action_error.set(None);
                }
                Err(e) => {
                    errors.set(e.error.fields.clone());
                    action_error.set(Some(e));
                }
            }
            app.refetch();
        }
    });
    let actions = Actions {
        withdraw,
        resubmit,
        edits,
        errors,
    };
    // Refresh while the departments are working; not while the resident is
    // correcting (a refresh would redraw the form under their fingers) and
    // not once everything is finished.
    let handle = set_interval_with_handle(
        move || {
            let waiting_on_resident = app
                .get()
                .and_then(|r| r.ok())
                .is_some_and(|a| a.overall.needs_you > 0 || a.overall.finished == a.overall.total);
            if !waiting_on_resident {
                app.refetch();
            }
        },
        std::time::Duration::from_millis(REFRESH_MS),
    );
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    view! {
        {move || action_error.get().map(|e| view! { <ErrorSummary error=e/> })}
        <Transition fallback=|| view! { <p class="loading">{bi("正在加载…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match app.await {
                    Ok(a) => application_view(a, actions).into_any(),
                    Err(e) if e.error.code == "unauthenticated" => view! {
                        <p>{bi("请先登录，才能查看办件进度。", "Sign in to see your application.")}</p>
                        <a class="button primary" rel="external" href=api::login_url(&format!("/applications/{}", id()))>{bi("登录", "Sign in")}</a>
                    }.into_any(),
                    Err(e) => view! { <ErrorSummary error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
