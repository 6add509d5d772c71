//! `/settings/family` (谁可以替我办理): the delegations where the resident is
//! the principal — requests to approve or decline, active ones to revoke
//! (撤销) — a form to let a family member act for them (named by phone or
//! ID number; they are matched when they sign in), and the audit of what
//! was done for them and by them.

use banshi_core::api::{AgentContact, DelegationView, GrantDelegation};
use banshi_core::delegation::DelegationState;
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::components::error::FailureNotice;
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::components::terms::{Terms, TermsInput};
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::session::use_session;

#[component]
fn Granted(d: DelegationView, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failure = RwSignal::new(None::<Failure>);
    let answer = move |what: &'static str, id: String| {
        let csrf = session.csrf().unwrap_or_default();
        leptos::task::spawn_local(async move {
            match api::answer_delegation(&id, what, &csrf).await {
                Ok(_) => changed.update(|n| *n += 1),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let who = format!("{}（{}）", d.agent.name, d.agent_is.zh);
    let who_en = format!("{} ({})", d.agent.name, d.agent_is.en);
    let scope = d.scope_text.clone();
    let state = d.state_label.clone();
    let until = d.valid_until;
    let (id1, id2, id3) = (d.id.clone(), d.id.clone(), d.id.clone());
    view! {
        <li class="delegation">
            <p><strong translate="no">{move || if crate::lang::is_en() { who_en.clone() } else { who.clone() }}</strong></p>
            <p>{move || tr(&scope)}</p>
            <p class="hint">{move || tr(&state)} " · " {t!(i18n, delegation_until)} " " {crate::lang::date(until)}</p>
            {match d.state {
                DelegationState::Requested if d.code.is_none() && !d.pending_verification => view! {
                    <div class="actions">
                        <button type="button" class="button primary" on:click=move |_| answer("approve", id1.clone())>{t!(i18n, delegation_approve)}</button>
                        <button type="button" class="button secondary" on:click=move |_| answer("decline", id2.clone())>{t!(i18n, delegation_decline)}</button>
                    </div>
                }.into_any(),
                DelegationState::Requested | DelegationState::Active => view! {
                    <button type="button" class="button secondary" on:click=move |_| answer("revoke", id3.clone())>{t!(i18n, delegation_revoke)}</button>
                }.into_any(),
                _ => ().into_any(),
            }}
            {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        </li>
    }
}

/// Digits only, and not the 18 characters of an ID number, is meant as a
/// mobile number (so a short one is told "11位手机号…", not about ID
/// numbers); anything else is taken as an ID number. The edge checks both.
fn contact(s: &str) -> AgentContact {
    // "138 0013 8000", "138-0013-8000", "+86 13800138000" are phone numbers too.
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let s = s.strip_prefix("+86").unwrap_or(&s);
    if s.len() != 18 && s.bytes().all(|b| b.is_ascii_digit()) {
        AgentContact::Phone(s.to_owned())
    } else {
        AgentContact::IdNumber(s.to_owned())
    }
}

#[component]
fn Grant(changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name = RwSignal::new(String::new());
    let reach = RwSignal::new(String::new());
    let terms = TermsInput::new();
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = GrantDelegation {
            agent: contact(&reach.get_untracked()),
            agent_name: name.get_untracked().trim().to_owned(),
            relationship: terms.relationship(),
            scope: terms.scope(),
            validity: terms.validity(),
        };
        let csrf = session.csrf().unwrap_or_default();
        leptos::task::spawn_local(async move {
            match api::grant_delegation(&body, &csrf).await {
                Ok(_) => {
                    failure.set(None);
                    done.set(true);
                    name.set(String::new());
                    reach.set(String::new());
                    changed.update(|n| *n += 1);
                }
                Err(f) => {
                    done.set(false);
                    failure.set(Some(f));
                }
            }
        });
    };
    view! {
        <form class="grant" on:submit=send>
            <h2>{t!(i18n, grant_title)}</h2>
            <p class="hint">{t!(i18n, grant_explain)}</p>
            <label class="label" for="agent-name">{t!(i18n, grant_agent_name)}</label>
            <input id="agent-name" autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label class="label" for="agent-reach">{t!(i18n, grant_agent_reach)}</label>
            <input id="agent-reach" autocomplete="off" inputmode="text" prop:value=move || reach.get() on:input=move |ev| reach.set(event_target_value(&ev))/>
            <Terms terms=terms granting=true/>
            <button type="submit" class="button primary">{t!(i18n, grant_submit)}</button>
            {move || done.get().then(|| view! { <p class="notice success" role="status">{t!(i18n, grant_done)}</p> })}
            {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        </form>
    }
}

#[component]
pub fn FamilySettings() -> impl IntoView {
    let i18n = use_i18n();
    let changed = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        changed.track();
        api::delegations()
    });
    let audit = LocalResource::new(move || {
        changed.track();
        api::delegation_audit()
    });
    view! {
        <Heading>{t!(i18n, delegations_title)}</Heading>
        <p>{t!(i18n, delegations_explain)}</p>
        <Page>
            {move || Suspend::new(async move {
                let l = list.await?;
                Ok::<_, Failure>(if l.granted.is_empty() {
                    view! { <p class="hint">{t!(i18n, delegations_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="delegations">
                            {l.granted.into_iter().map(|d| view! { <Granted d=d changed=changed/> }).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Page>
        <Grant changed=changed/>
        <h2>{t!(i18n, audit_title)}</h2>
        <Page>
            {move || Suspend::new(async move {
                let a = audit.await?;
                Ok::<_, Failure>(if a.entries.is_empty() {
                    view! { <p class="hint">{t!(i18n, audit_none)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="audit">
                            {a.entries.into_iter().map(|e| {
                                let text = e.text.clone();
                                view! { <li>{move || crate::lang::tr_names(&text)}</li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Page>
    }
}
