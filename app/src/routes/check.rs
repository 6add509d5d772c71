//! `/drafts/:draft/check`: check answers (GOV.UK summary list): every answer,
//! material and field, each with 修改 to that exact question, material or
//! field, which comes back here. Then one submission: it goes through the
//! outbox, so with no network it waits in 待发送 and is sent once when the
//! network returns; the resident lands on the confirmation page when the
//! edge has it.

use banshi_core::journey::{self, Step};
use banshi_core::validate::{validate_form, FieldError};
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::back::BackLink;
use crate::components::error::{anchor, ErrorSummary};
use crate::components::heading::Heading;
use crate::components::read_aloud::ReadAloud;
use crate::drafts::{back, use_draft, use_step, DraftCtx};
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::outbox::{self, use_outbox};
use crate::routes::materials::{choice_words, missing};
use crate::routes::result::answer_words;
use crate::session::use_session;
use crate::{api, time};

/// Everything core would refuse, found on the phone before sending.
fn problems(ctx: &DraftCtx) -> Vec<FieldError> {
    let outcome = ctx.outcome();
    let mut errors = Vec::new();
    if let Some(q) = outcome.next_question {
        errors.push(FieldError {
            field: format!("answer.{}", q.id),
            message: Text::new(
                format!("还有问题没有回答：{}", q.text.zh),
                format!("A question is not answered yet: {}", q.text.en),
            ),
        });
    }
    errors.extend(missing(ctx));
    if let Err(e) = ctx
        .draft
        .with_untracked(|d| validate_form(&outcome.fields, &d.values, time::today()))
    {
        errors.extend(e);
    }
    errors
}

/// Where a problem is fixed.
fn fix_href(ctx: &DraftCtx, field: &str) -> String {
    let back = "?return=check";
    if let Some(q) = field.strip_prefix("answer.") {
        return format!("{}{back}", ctx.path(&Step::Question(q.to_owned())));
    }
    if let Some(m) = field.strip_prefix("materials.") {
        return format!("{}/{m}{back}", ctx.path(&Step::Materials));
    }
    let subject = field.split('.').next().unwrap_or(field);
    format!(
        "{}{back}#{}",
        ctx.path(&Step::Section(subject.to_owned())),
        anchor(field)
    )
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let session = use_session();
    let events = use_outbox();
    let navigate = use_navigate();
    let location = use_location();
    use_step(|| Step::Check);
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let sending = RwSignal::new(false);
    // The edge has it: go to its confirmation.
    Effect::new(move || {
        let me = ctx.id();
        let sent = events
            .sent
            .with(|s| s.iter().find(|(d, _)| *d == me).map(|(_, a)| a.id.clone()));
        if let Some(app) = sent {
            navigate(
                &format!("/applications/{app}/submitted"),
                Default::default(),
            );
        }
    });
    let submit = move |_| {
        let p = problems(&ctx);
        if !p.is_empty() {
            errors.set(p);
            return;
        }
        errors.set(Vec::new());
        sending.set(true);
        let draft = ctx.draft.get_untracked();
        leptos::task::spawn_local(async move {
            let after = outbox::queue(draft, events).await;
            // The outbox keeps its own copy; show its state here.
            if let Ok(Some(d)) = crate::store::load_draft(&after.id).await {
                ctx.draft.set(d);
            }
            sending.set(false);
        });
    };
    let outcome = move || ctx.outcome();
    let edit = move |href: String| {
        view! { <A href=href attr:class="change">{t!(i18n, change)}</A> }
    };
    let refused_errors = move || {
        ctx.draft.with(|d| {
            d.outbox
                .as_ref()
                .map(|o| o.errors.clone())
                .unwrap_or_default()
        })
    };
    let queued = move || {
        ctx.draft
            .with(|d| d.outbox.as_ref().is_some_and(|o| o.refused.is_none()))
    };
    view! {
        <BackLink href=move || back(&ctx, &Step::Check)/>
        {move || {
            let mut e = errors.get();
            e.extend(refused_errors());
            (!e.is_empty()).then(|| view! {
                <ErrorSummary title=Text::new("提交前还有几处要处理", "A few things to sort out before submitting") errors=e
                    href_for=Callback::new(move |f: String| fix_href(&ctx, &f))/>
            })
        }}
        <div class="speak">
            <Heading>{t!(i18n, check_title)}</Heading>
            <h2>{t!(i18n, check_situation)}</h2>
            <dl class="summary-list">
                {move || {
                    let o = outcome();
                    o.questions.iter().filter_map(|q| {
                        let a = ctx.draft.with(|d| d.answers.get(&q.id).cloned())?;
                        let words = answer_words(q, &a);
                        let text = q.text.clone();
                        let href = format!("{}?return=check", ctx.path(&Step::Question(q.id.clone())));
                        Some(view! {
                            <div class="row">
                                <dt>{move || tr(&text)}</dt>
                                <dd>{words}</dd>
                                <dd class="action">{edit(href)}</dd>
                            </div>
                        })
                    }).collect_view()
                }}
            </dl>
            {move || {
                let o = outcome();
                let needs = journey::materials(&o);
                (!needs.is_empty()).then(|| view! {
                    <h2>{t!(i18n, check_materials)}</h2>
                    <dl class="summary-list">
                        {needs.into_iter().map(|m| {
                            let choice = ctx.draft.with(|d| d.materials.get(m.id()).cloned());
                            let words = choice_words(&ctx, choice.as_ref());
                            let name = m.name().clone();
                            let href = format!("{}/{}?return=check", ctx.path(&Step::Materials), m.id());
                            view! {
                                <div class="row">
                                    <dt>{move || tr(&name)}</dt>
                                    <dd>{words}</dd>
                                    <dd class="action">{edit(href)}</dd>
                                </div>
                            }
                        }).collect_view()}
                    </dl>
                })
            }}
            {move || {
                let o = outcome();
                journey::sections(&o.fields, &ctx.bundle.sections).into_iter().map(|(subject, fields)| {
                    let title = super::section::section_title(&ctx, subject);
                    view! {
                        <h2>{move || crate::lang::tr_names(&title)}</h2>
                        <dl class="summary-list">
                            {fields.into_iter().map(|f| {
                                let v = ctx.draft.with(|d| d.values.get(&f.key).cloned().unwrap_or_default());
                                let label = f.label.clone();
                                let href = fix_href(&ctx, &f.key);
                                view! {
                                    <div class="row">
                                        <dt>{move || tr(&label)}</dt>
                                        <dd translate="no">{if v.trim().is_empty() { "—".to_owned() } else { v }}</dd>
                                        <dd class="action">{edit(href)}</dd>
                                    </div>
                                }
                            }).collect_view()}
                        </dl>
                    }
                }).collect_view()
            }}
        </div>
        {move || if queued() {
            view! { <p class="notice" role="status">{t!(i18n, outbox_queued)}</p> }.into_any()
        } else if session.signed_in() {
            view! {
                <p class="hint">{t!(i18n, submit_once)}</p>
                <button type="button" class="button primary" disabled=move || sending.get() on:click=submit>
                    {move || if sending.get() { t!(i18n, submitting).into_any() } else { t!(i18n, submit).into_any() }}
                </button>
            }.into_any()
        } else {
            let here = location.pathname.get();
            view! {
                <p>{t!(i18n, sign_in_to_submit_note)}</p>
                <a class="button primary" rel="external" href=api::login_url(&here)>{t!(i18n, sign_in_to_submit)}</a>
            }.into_any()
        }}
        <ReadAloud/>
    }
}
