//! The terms of a delegation as both sides set them — what the agent is to
//! the principal, which events, for how long — one form fragment, so
//! asking (为家人办理) and granting (谁可以替我办理) say the same things the
//! same way. The edge checks the terms again (core's `Terms::check`).

use banshi_core::api::EventSummary;
use banshi_core::catalog::Audience;
use banshi_core::delegation::{Relationship, Scope, Validity, MAX_VALIDITY_MONTHS};
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::lang::tr;

/// What the resident has chosen so far.
#[derive(Clone, Copy)]
pub struct TermsInput {
    relationship: RwSignal<Relationship>,
    /// Every personal event, or only `event`.
    all: RwSignal<bool>,
    event: RwSignal<String>,
    /// One application until it is finished, or a year.
    once: RwSignal<bool>,
}

impl TermsInput {
    pub fn new() -> Self {
        TermsInput {
            relationship: RwSignal::new(Relationship::Child),
            all: RwSignal::new(true),
            event: RwSignal::new("retirement".to_owned()),
            once: RwSignal::new(false),
        }
    }

    pub fn relationship(&self) -> Relationship {
        self.relationship.get_untracked()
    }

    pub fn scope(&self) -> Scope {
        if self.all.get_untracked() {
            Scope::AllPersonal
        } else {
            Scope::Events {
                events: vec![self.event.get_untracked()],
            }
        }
    }

    pub fn validity(&self) -> Validity {
        if self.once.get_untracked() {
            return Validity::OneApplication;
        }
        let today = crate::time::today();
        Validity::Until {
            until: today
                .checked_add_months(chrono::Months::new(MAX_VALIDITY_MONTHS))
                .unwrap_or(today),
        }
    }
}

impl TermsInput {
    /// A paper mandate names one event, never "all".
    pub fn one_event() -> Self {
        let t = TermsInput::new();
        t.all.set(false);
        t
    }
}

/// `granting`: the principal is filling it in ("对方是您的"), not the agent
/// ("您是对方的"). `paper`: a signed 授权委托书, so one event, and only
/// those that accept one.
#[component]
pub fn Terms(
    terms: TermsInput,
    #[prop(optional)] granting: bool,
    #[prop(optional)] paper: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    // Personal events first, then the business events a legal
    // representative may let someone do (the edge asks the register).
    let offered = LocalResource::new(move || async move {
        let mut events = crate::catalog::list()
            .await
            .map(|l| {
                l.events
                    .iter()
                    .filter(|e| {
                        (e.audience == Audience::Personal || e.accepts_agent)
                            && (!paper || e.accepts_paper_mandate)
                    })
                    .cloned()
                    .collect::<Vec<EventSummary>>()
            })
            .unwrap_or_default();
        events.sort_by_key(|e| e.audience == Audience::Business);
        // The choice shown is the choice made: the first one if the default is not offered.
        if let Some(first) = events.first() {
            if !events.iter().any(|e| e.id == terms.event.get_untracked()) {
                terms.event.set(first.id.clone());
            }
        }
        events
    });
    let prefix = if paper {
        "paper"
    } else if granting {
        "grant"
    } else {
        "ask"
    };
    let rel_id = format!("{prefix}-relationship");
    let event_id = format!("{prefix}-event");
    let (all_id, one_id) = (format!("{prefix}-scope-all"), format!("{prefix}-scope-one"));
    let (year_id, once_id) = (format!("{prefix}-year"), format!("{prefix}-once"));
    view! {
        <label class="label" for=rel_id.clone()>
            {move || if granting { t!(i18n, terms_they_are).into_any() } else { t!(i18n, family_relationship).into_any() }}
        </label>
        <select id=rel_id on:change=move |ev| {
            if let Some(r) = Relationship::parse(&event_target_value(&ev)) {
                terms.relationship.set(r);
            }
        }>
            {Relationship::ALL.iter().map(|r| {
                let label = r.label();
                let r = *r;
                view! { <option value=r.as_str() selected=move || terms.relationship.get() == r>{move || tr(&label)}</option> }
            }).collect_view()}
        </select>
        <fieldset class="group">
            <legend class="label">{t!(i18n, family_scope)}</legend>
            {(!paper).then(|| view! {
            <label class="radio" for=all_id.clone()>
                <input type="radio" name=format!("{prefix}-scope") id=all_id.clone() prop:checked=move || terms.all.get() on:change=move |_| terms.all.set(true)/>
                <span>{t!(i18n, family_scope_all)}</span>
            </label>
            <label class="radio" for=one_id.clone()>
                <input type="radio" name=format!("{prefix}-scope") id=one_id.clone() prop:checked=move || !terms.all.get() on:change=move |_| terms.all.set(false)/>
                <span>{t!(i18n, family_scope_one)}</span>
            </label>
            })}
            {move || (!terms.all.get()).then(|| view! {
                <label class="label" for=event_id.clone()>{t!(i18n, terms_which_event)}</label>
                <select id=event_id.clone() on:change=move |ev| terms.event.set(event_target_value(&ev))>
                    {move || {
                        let (business, personal): (Vec<_>, Vec<_>) = offered
                            .get()
                            .unwrap_or_default()
                            .into_iter()
                            .partition(|e| e.audience == Audience::Business);
                        let option = |e: EventSummary| {
                            let chosen = terms.event.get_untracked() == e.id;
                            view! { <option value=e.id.clone() selected=chosen>{tr(&e.name)}</option> }
                        };
                        view! {
                            {personal.into_iter().map(option).collect_view()}
                            {(!business.is_empty()).then(|| view! {
                                <optgroup label=move || crate::i18n::t_string!(i18n, terms_business_group)>
                                    {business.into_iter().map(option).collect_view()}
                                </optgroup>
                            })}
                        }
                    }}
                </select>
                {move || {
                    let chosen = terms.event.get();
                    offered
                        .get()
                        .unwrap_or_default()
                        .iter()
                        .any(|e| e.id == chosen && e.audience == Audience::Business)
                        .then(|| view! { <p class="hint">{t!(i18n, terms_business_hint)}</p> })
                }}
            })}
        </fieldset>
        <fieldset class="group">
            <legend class="label">{t!(i18n, terms_how_long)}</legend>
            <label class="radio" for=year_id.clone()>
                <input type="radio" name=format!("{prefix}-validity") id=year_id.clone() prop:checked=move || !terms.once.get() on:change=move |_| terms.once.set(false)/>
                <span>{t!(i18n, terms_a_year)}</span>
            </label>
            <label class="radio" for=once_id.clone()>
                <input type="radio" name=format!("{prefix}-validity") id=once_id.clone() prop:checked=move || terms.once.get() on:change=move |_| terms.once.set(true)/>
                <span>{t!(i18n, terms_once)}</span>
            </label>
        </fieldset>
    }
}
