//! `/drafts/:draft/materials/:material`: how to provide one material, with
//! only the ways the catalog allows for it:
//! - 免提交 with an e-certificate, after a consent screen that names the
//!   certificate, the purpose (this event) and the departments that get it;
//!   the release fills in the form fields the certificate states;
//! - photos or a PDF, compressed on the phone, several pages;
//! - 告知承诺: the promise in full, signed by a checkbox, with the time;
//! - 容缺: provide later, with the date it will be due.

use banshi_core::draft::{Choice, Page, Prefill};
use banshi_core::journey::{self, MaterialNeed, Step};
use banshi_core::message::promise_text;
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params};
use leptos_router::params::Params;

use crate::catalog::BundleExt;
use crate::components::back::BackLink;
use crate::components::heading::Heading;
use crate::components::locality::Locality;
use crate::components::photos::Photos;
use crate::drafts::{returning_to_check, use_draft, use_step, DraftCtx};
use crate::i18n::{t, use_i18n};
use crate::lang::{pick, tr};
use crate::net::use_net;
use crate::session::use_session;
use crate::{api, store, time};

#[derive(Params, PartialEq, Clone, Debug)]
pub struct MaterialParams {
    material: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Ecert,
    Upload,
    Promise,
    Defer,
}

fn ways(need: &MaterialNeed) -> Vec<Way> {
    let mut v = Vec::new();
    if need.waived_by.is_some() {
        v.push(Way::Ecert);
    }
    v.push(Way::Upload);
    if need.promise {
        v.push(Way::Promise);
    }
    if need.deferrable {
        v.push(Way::Defer);
    }
    v
}

fn way_of(c: Option<&Choice>) -> Option<Way> {
    Some(match c? {
        Choice::Ecert { .. } => Way::Ecert,
        Choice::Upload { .. } => Way::Upload,
        Choice::Promise { .. } => Way::Promise,
        Choice::Deferred => Way::Defer,
    })
}

#[component]
pub fn MaterialPage() -> impl IntoView {
    let params = use_params::<MaterialParams>();
    let ctx = use_draft();
    use_step(|| Step::Materials);
    let id = move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.material.clone())
                .unwrap_or_default()
        })
    };
    move || {
        let id = id();
        let outcome = ctx.outcome();
        journey::materials(&outcome)
            .into_iter()
            .find(|m| m.id() == id)
            .map(|need| view! { <MaterialBody need=need/> })
    }
}

#[component]
fn MaterialBody(need: MaterialNeed<'static>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let navigate = use_navigate();
    let to_check = returning_to_check();
    let id = need.id().to_owned();
    let allowed = ways(&need);
    let current = ctx.draft.with_untracked(|d| d.materials.get(&id).cloned());
    let way = RwSignal::new(way_of(current.as_ref()).filter(|w| allowed.contains(w)).or(
        if allowed.len() == 1 {
            Some(Way::Upload)
        } else {
            None
        },
    ));
    let back_to = format!(
        "{}{}",
        ctx.path(&Step::Materials),
        if to_check { "?return=check" } else { "" }
    );
    let done = {
        let back_to = back_to.clone();
        let navigate = navigate.clone();
        move || {
            if to_check {
                navigate(&ctx.path(&Step::Check), Default::default());
            } else {
                navigate(&back_to, Default::default());
            }
        }
    };
    let name = need.name().clone();
    let items: Vec<String> = need.items.iter().map(|i| tr(&i.name)).collect();
    let label = |w: Way| match w {
        Way::Ecert => Text::new(
            "用电子证照，不用交纸质材料（免提交）",
            "Use my electronic certificate: nothing to hand in",
        ),
        Way::Upload => Text::new("拍照或上传文件", "Take a photo or upload a file"),
        Way::Promise => Text::new(
            "签告知承诺书，不用交这份材料",
            "Sign a statement of commitment instead",
        ),
        Way::Defer => Text::new(
            "先不交，受理后再补交（容缺受理）",
            "Hand it in later, after acceptance",
        ),
    };
    view! {
        <BackLink href=back_to/>
        <Heading>{move || tr(&name)}</Heading>
        <p class="for-items">{t!(i18n, material_for)}{items.join(pick("、", ", "))}</p>
        {(allowed.len() > 1).then(|| view! {
            <fieldset class="group">
                <legend class="label">{t!(i18n, material_how)}</legend>
                <div class="radios">
                    {allowed.iter().copied().enumerate().map(|(i, w)| {
                        let oid = format!("way-{i}");
                        let oid2 = oid.clone();
                        let text = label(w);
                        view! {
                            <label class="radio" for=oid2>
                                <input type="radio" name="way" id=oid prop:checked=move || way.get() == Some(w)
                                    on:change=move |_| way.set(Some(w))/>
                                <span>{move || tr(&text)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        })}
        {move || match way.get() {
            Some(Way::Ecert) => view! { <EcertConsent need=need.clone() on_done=Callback::new({ let done = done.clone(); move |()| done() })/> }.into_any(),
            Some(Way::Upload) => view! { <Upload id=id.clone() on_done=Callback::new({ let done = done.clone(); move |()| done() })/> }.into_any(),
            Some(Way::Promise) => view! { <Promise need=need.clone() on_done=Callback::new({ let done = done.clone(); move |()| done() })/> }.into_any(),
            Some(Way::Defer) => view! { <Defer need=need.clone() on_done=Callback::new({ let done = done.clone(); move |()| done() })/> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// The departments that will receive a material: its items' departments.
fn departments(ctx: &DraftCtx, need: &MaterialNeed) -> Text {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for i in &need.items {
        let d = ctx.bundle.department_name(&i.department);
        if !zh.contains(&d.zh) {
            zh.push(d.zh);
            en.push(d.en);
        }
    }
    Text::new(zh.join("、"), en.join(", "))
}

#[component]
fn EcertConsent(need: MaterialNeed<'static>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let session = use_session();
    let net = use_net();
    let location = use_location();
    let ecert = need.waived_by.unwrap_or_default().to_owned();
    let cert_name = ctx
        .bundle
        .ecert(&ecert)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| Text::new(&ecert, &ecert));
    let depts = departments(&ctx, &need);
    let event = ctx.bundle.event.name.clone();
    let error: RwSignal<Option<Text>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let agree = {
        let ecert = ecert.clone();
        let material = need.id().to_owned();
        move |_| {
            let Some(csrf) = session.csrf() else { return };
            let ecert = ecert.clone();
            let material = material.clone();
            let event_id = ctx.bundle.event.id.clone();
            pending.set(true);
            leptos::task::spawn_local(async move {
                match api::release_certificates(&event_id, std::slice::from_ref(&ecert), &csrf).await {
                    Ok(list) => match list.certificates.into_iter().find(|c| c.kind == ecert) {
                        Some(cert) => {
                            let prefix = format!("ecert:{ecert}.");
                            let fields: Vec<(String, String)> = ctx.bundle.event.fields.iter().filter_map(|f| {
                                let fact = f.prefill.as_deref()?.strip_prefix(&prefix)?;
                                let v = match fact {
                                    "number" => Some(cert.number.clone()),
                                    "holder_name" => Some(cert.holder_name.clone()),
                                    other => cert.fields.get(other).cloned(),
                                }?;
                                Some((f.key.clone(), v))
                            }).collect();
                            ctx.update(|d| {
                                d.materials.insert(material, Choice::Ecert { ecert: ecert.clone() });
                                for (k, v) in fields {
                                    d.prefill(&k, &v, Prefill::Ecert { ecert: ecert.clone() });
                                }
                            });
                            on_done.run(());
                        }
                        None => error.set(Some(Text::new(
                            "没有找到您的这份电子证照。请改为拍照上传。",
                            "We could not find this electronic certificate of yours. Please take a photo instead.",
                        ))),
                    },
                    Err(f) => error.set(Some(f.message().clone())),
                }
                pending.set(false);
            });
        }
    };
    let here = move || location.pathname.get();
    view! {
        <section class="consent">
            <h2>{t!(i18n, consent_title)}</h2>
            <p>{move || if crate::lang::is_en() {
                format!("You agree that your electronic {} is released to {}, for \"{}\" only.", cert_name.en, depts.en, event.en)
            } else {
                format!("您同意把您的「{}」电子证照提供给{}，只用于办理「{}」。", cert_name.zh, depts.zh, event.zh)
            }}</p>
            <p class="hint">{t!(i18n, consent_logged)}</p>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{tr(&e)}</p> })}
            {move || match (session.signed_in(), net.online.get()) {
                (false, _) => view! {
                    <p>{t!(i18n, consent_sign_in)}</p>
                    <a class="button primary" rel="external" href=move || api::login_url(&here())>{t!(i18n, sign_in)}</a>
                }.into_any(),
                (true, false) => view! { <p class="notice">{t!(i18n, consent_offline)}</p> }.into_any(),
                (true, true) => view! {
                    <button type="button" class="button primary" disabled=move || pending.get() on:click=agree.clone()>
                        {t!(i18n, consent_agree)}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}

/// Photos of the material, kept on the phone and sent to the edge as soon
/// as there is a network and a sign-in (and otherwise by the outbox).
#[component]
fn Upload(id: String, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let session = use_session();
    let net = use_net();
    let material = id.clone();
    let pages = Signal::derive(move || {
        ctx.draft.with(|d| match d.materials.get(&material) {
            Some(Choice::Upload { pages }) => pages.clone(),
            _ => Vec::new(),
        })
    });
    let m = id.clone();
    let on_add = Callback::new(move |page: Page| {
        let m = m.clone();
        let p = page.clone();
        ctx.update(|d| match d.materials.get_mut(&m) {
            Some(Choice::Upload { pages }) => pages.push(p),
            _ => {
                d.materials
                    .insert(m.clone(), Choice::Upload { pages: vec![p] });
            }
        });
        // Send it now if we can; the outbox sends whatever is left.
        if let (true, Some(csrf)) = (net.online.get_untracked(), session.csrf()) {
            leptos::task::spawn_local(async move {
                if let Ok(Some(blob)) = store::load_page(&page.id).await {
                    let name = if page.content_type == "application/pdf" {
                        "page.pdf"
                    } else {
                        "page.jpg"
                    };
                    if let Ok(att) = api::upload(&blob, name, &page.id, &csrf).await {
                        ctx.update(|d| d.uploaded(&page.id, &att.id));
                    }
                }
            });
        }
    });
    let m = id.clone();
    let on_remove = Callback::new(move |page: String| {
        let m = m.clone();
        ctx.update(|d| {
            if let Some(Choice::Upload { pages }) = d.materials.get_mut(&m) {
                pages.retain(|p| p.id != page);
                if pages.is_empty() {
                    d.materials.remove(&m);
                }
            }
        });
        leptos::task::spawn_local(async move {
            let _ = store::delete_page(&page).await;
        });
    });
    view! {
        <section class="upload">
            <p class="hint">{t!(i18n, upload_hint)}</p>
            <Photos pages=pages on_add=on_add on_remove=on_remove id=crate::components::error::anchor(&format!("materials.{id}"))/>
            {move || (!pages.with(Vec::is_empty)).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| on_done.run(())>{t!(i18n, save_and_continue)}</button>
            })}
        </section>
    }
}

#[component]
fn Promise(need: MaterialNeed<'static>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let items = Text::new(
        need.items
            .iter()
            .map(|i| i.name.zh.clone())
            .collect::<Vec<_>>()
            .join("、"),
        need.items
            .iter()
            .map(|i| i.name.en.clone())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let text = ctx
        .bundle
        .promise
        .as_ref()
        .and_then(|t| {
            promise_text(
                std::slice::from_ref(t),
                &items,
                need.name(),
                &departments(&ctx, &need),
            )
        })
        .unwrap_or_else(|| need.name().clone());
    let agreed =
        RwSignal::new(ctx.draft.with_untracked(|d| {
            matches!(d.materials.get(need.id()), Some(Choice::Promise { .. }))
        }));
    let error = RwSignal::new(false);
    let id = need.id().to_owned();
    let sign = move |_| {
        if !agreed.get_untracked() {
            error.set(true);
            return;
        }
        let id = id.clone();
        ctx.update(|d| {
            d.materials.insert(
                id,
                Choice::Promise {
                    signed_at: time::now(),
                },
            );
        });
        on_done.run(());
    };
    view! {
        <section class="promise speak">
            <h2>{t!(i18n, promise_title)}</h2>
            <blockquote class="promise-text">{move || tr(&text)}</blockquote>
            {move || error.get().then(|| view! { <p class="field-error" role="alert">{t!(i18n, promise_tick)}</p> })}
            <label class="check" for="promise-agree">
                <input type="checkbox" id="promise-agree" prop:checked=move || agreed.get()
                    on:change=move |ev| { agreed.set(event_target_checked(&ev)); error.set(false); }/>
                <span>{t!(i18n, promise_agree)}</span>
            </label>
            <button type="button" class="button primary" on:click=sign>{t!(i18n, promise_sign)}</button>
        </section>
    }
}

#[component]
fn Defer(need: MaterialNeed<'static>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let id = need.id().to_owned();
    let days = need.defer_working_days;
    let ok = move |_| {
        let id = id.clone();
        ctx.update(|d| {
            d.materials.insert(id, Choice::Deferred);
        });
        on_done.run(());
    };
    view! {
        <section class="defer">
            <p>{match days {
                Some(n) => t!(i18n, defer_within, n).into_any(),
                None => t!(i18n, defer_when_told).into_any(),
            }}</p>
            <Locality note=ctx.bundle.event.locality_note(need.material.defer_source)/>
            <p class="hint">{t!(i18n, defer_tracking)}</p>
            <button type="button" class="button primary" on:click=ok>{t!(i18n, defer_confirm)}</button>
        </section>
    }
}
