//! `/family` (为家人办理): choose someone the edge says one may act for now
//! (a delegation, or a minor child in one's household register), or ask a
//! family member for permission and enter the 6-digit code they read out,
//! or hand in a signed paper 授权委托书 for an event that accepts one.

use banshi_core::api::{DelegationView, PaperMandate, PrincipalView, RequestDelegation};
use banshi_core::delegation::DelegationState;
use banshi_core::draft::Page;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, Failure};
use crate::components::error::FailureNotice;
use crate::components::heading::Heading;
use crate::components::page::Page as Loading;
use crate::components::photos::Photos;
use crate::components::terms::{Terms, TermsInput};
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::routes::correction::upload_pages_as;
use crate::session::use_session;

#[component]
fn Choose(p: PrincipalView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let owner = p.owner.clone();
    let label = p.banner.clone();
    let is = p.is.clone();
    let name = p.name.clone();
    let scope = p.scope_text.clone();
    view! {
        <li class="principal">
            <p><strong translate="no">{move || format!("{} {}", tr(&is), name)}</strong></p>
            <p class="hint">{move || tr(&scope)}</p>
            <button type="button" class="button primary"
                on:click=move |_| { session.act_for(Some(owner.clone())); navigate("/", Default::default()); }>
                {t!(i18n, family_act_for)}<span class="sr-only">" "{move || crate::lang::tr_names(&label)}</span>
            </button>
        </li>
    }
}

/// A request still waiting: the code the principal read out.
#[component]
fn CodeEntry(d: DelegationView) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let code = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(false);
    let id = d.id.clone();
    let field = format!("code-{}", d.id);
    let name = d.principal.name.clone();
    let is = d.principal_is.clone();
    let enter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id.clone();
        let csrf = session.csrf().unwrap_or_default();
        leptos::task::spawn_local(async move {
            match api::enter_code(&id, &code.get_untracked(), &csrf).await {
                Ok(_) => {
                    done.set(true);
                    session.refetch();
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <li class="request">
            <p translate="no">{move || format!("{} {}", tr(&is), name)}</p>
            {move || if done.get() {
                view! { <p class="notice success" role="status">{t!(i18n, family_code_ok)}</p> }.into_any()
            } else {
                view! {
                    <form on:submit=enter.clone()>
                        <label class="label" for=field.clone()>{t!(i18n, family_code_label)}</label>
                        <p class="hint">{t!(i18n, family_code_hint)}</p>
                        <input id=field.clone() inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                            prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                        <button type="submit" class="button primary">{t!(i18n, family_code_submit)}</button>
                    </form>
                }.into_any()
            }}
            {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        </li>
    }
}

#[component]
fn Ask(asked: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let terms = TermsInput::new();
    let failure = RwSignal::new(None::<Failure>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = RequestDelegation {
            principal_name: name.get_untracked(),
            principal_id_number: id_number.get_untracked(),
            relationship: terms.relationship(),
            scope: terms.scope(),
            validity: terms.validity(),
        };
        let csrf = session.csrf().unwrap_or_default();
        leptos::task::spawn_local(async move {
            match api::request_delegation(&body, &csrf).await {
                Ok(_) => {
                    failure.set(None);
                    asked.update(|n| *n += 1);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <form class="ask" on:submit=send>
            <h2>{t!(i18n, family_ask_title)}</h2>
            <p class="hint">{t!(i18n, family_ask_explain)}</p>
            <label class="label" for="principal-name">{t!(i18n, family_principal_name)}</label>
            <input id="principal-name" autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label class="label" for="principal-id">{t!(i18n, family_principal_id)}</label>
            <input id="principal-id" autocomplete="off" prop:value=move || id_number.get() on:input=move |ev| id_number.set(event_target_value(&ev))/>
            <Terms terms=terms/>
            <button type="submit" class="button primary">{t!(i18n, family_ask_submit)}</button>
            {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        </form>
    }
}

/// Photos of one paper, in a group that names it.
#[component]
fn PaperPages(pages: RwSignal<Vec<Page>>, id: &'static str, legend: ViewFn) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend class="label">{legend.run()}</legend>
            <Photos pages=pages id=id
                on_add=Callback::new(move |p: Page| pages.update(|v| v.push(p)))
                on_remove=Callback::new(move |gone: String| pages.update(|v| v.retain(|p| p.id != gone)))/>
        </fieldset>
    }
}

/// For someone who cannot answer a text: a signed 授权委托书 and their ID
/// card, photographed. It stays pending until the department checks it
/// with the first application.
#[component]
fn Paper(asked: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let terms = TermsInput::one_event();
    let mandate = RwSignal::new(Vec::<Page>::new());
    let id_card = RwSignal::new(Vec::<Page>::new());
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        done.set(false);
        let csrf = session.csrf().unwrap_or_default();
        let (m, c) = (mandate.get_untracked(), id_card.get_untracked());
        let (principal_name, principal_id_number) =
            (name.get_untracked(), id_number.get_untracked());
        let (relationship, scope, validity) =
            (terms.relationship(), terms.scope(), terms.validity());
        leptos::task::spawn_local(async move {
            let result = async {
                let body = PaperMandate {
                    principal_name,
                    principal_id_number,
                    relationship,
                    scope,
                    validity,
                    mandate: upload_pages_as(&m, &csrf, None).await?,
                    principal_id_card: upload_pages_as(&c, &csrf, None).await?,
                };
                api::paper_mandate(&body, &csrf).await
            }
            .await;
            sending.set(false);
            match result {
                Ok(_) => {
                    // The edge has the photos: the phone keeps no copy of
                    // someone else's ID card.
                    for p in m.iter().chain(c.iter()) {
                        let _ = crate::store::delete_page(&p.id).await;
                    }
                    mandate.set(Vec::new());
                    id_card.set(Vec::new());
                    failure.set(None);
                    done.set(true);
                    session.refetch();
                    asked.update(|n| *n += 1);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <form class="paper" on:submit=send>
            <h2>{t!(i18n, paper_title)}</h2>
            <p class="hint">{t!(i18n, paper_explain)}</p>
            <label class="label" for="paper-name">{t!(i18n, family_principal_name)}</label>
            <input id="paper-name" autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label class="label" for="paper-id">{t!(i18n, family_principal_id)}</label>
            <input id="paper-id" autocomplete="off" prop:value=move || id_number.get() on:input=move |ev| id_number.set(event_target_value(&ev))/>
            <Terms terms=terms paper=true/>
            <PaperPages pages=mandate id="paper-mandate" legend=ViewFn::from(move || t!(i18n, paper_mandate))/>
            <PaperPages pages=id_card id="paper-id-card" legend=ViewFn::from(move || t!(i18n, paper_id_card))/>
            <button type="submit" class="button primary" prop:disabled=move || sending.get()>
                {move || if sending.get() { t!(i18n, paper_sending).into_any() } else { t!(i18n, paper_submit).into_any() }}
            </button>
            {move || done.get().then(|| view! { <p class="notice success" role="status">{t!(i18n, paper_done)}</p> })}
            {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        </form>
    }
}

#[component]
pub fn Family() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let asked = RwSignal::new(0u32);
    let received = LocalResource::new(move || {
        asked.track();
        session.signed_in();
        api::delegations()
    });
    view! {
        <Heading>{t!(i18n, family_title)}</Heading>
        <p>{t!(i18n, family_explain)}</p>
        {move || {
            let people = session
                .get()
                .and_then(|s| s.resident)
                .map(|r| r.may_act_for)
                .unwrap_or_default();
            if people.is_empty() {
                view! { <p class="hint">{t!(i18n, family_nobody)}</p> }.into_any()
            } else {
                view! {
                    <ul class="principals">{people.into_iter().map(|p| view! { <Choose p=p/> }).collect_view()}</ul>
                }.into_any()
            }
        }}
        <Loading>
            {move || Suspend::new(async move {
                let list = received.await?;
                let waiting: Vec<DelegationView> = list
                    .received
                    .into_iter()
                    .filter(|d| d.state == DelegationState::Requested && d.code.is_some())
                    .collect();
                Ok::<_, Failure>((!waiting.is_empty()).then(|| view! {
                    <h2>{t!(i18n, family_waiting)}</h2>
                    <ul class="requests">{waiting.into_iter().map(|d| view! { <CodeEntry d=d/> }).collect_view()}</ul>
                }))
            })}
        </Loading>
        <Ask asked=asked/>
        <Paper asked=asked/>
    }
}
