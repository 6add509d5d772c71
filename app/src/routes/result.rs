//! `/drafts/:draft/result`: which items apply and why (the answers that
//! made each apply), with department, time limit and fee — before anything
//! is asked of the form.

use banshi_core::guide::Answer;
use banshi_core::journey::Step;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::catalog::BundleExt;
use crate::components::back::BackLink;
use crate::components::dropped::Dropped;
use crate::components::heading::Heading;
use crate::components::locality::Locality;
use crate::components::read_aloud::ReadAloud;
use crate::drafts::{after, back, returning_to_check, use_draft, use_step};
use crate::i18n::{t, use_i18n};
use crate::lang::{pick, tr};

/// An answer as the resident gave it, in words.
pub fn answer_words(q: &banshi_core::catalog::Question, a: &Answer) -> String {
    let option = |v: &str| {
        q.options
            .iter()
            .find(|o| o.value == v)
            .map(|o| tr(&o.text))
            .unwrap_or_else(|| v.to_owned())
    };
    match a {
        Answer::Bool(true) => pick("是", "Yes").into(),
        Answer::Bool(false) => pick("否", "No").into(),
        Answer::Text(t) if q.options.is_empty() => t.clone(),
        Answer::Text(t) => option(t),
        Answer::Choices(c) if c.is_empty() => pick("都不是", "None of these").into(),
        Answer::Choices(c) => c
            .iter()
            .map(|v| option(v))
            .collect::<Vec<_>>()
            .join(pick("、", ", ")),
        Answer::Number(n) => n.to_string(),
    }
}

#[component]
pub fn ResultPage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    use_step(|| Step::Result);
    let to_check = returning_to_check();
    let outcome = move || ctx.outcome();
    view! {
        <BackLink href=move || back(&ctx, &Step::Result)/>
        <Dropped/>
        <div class="speak">
            <Heading>{t!(i18n, result_title, count = move || outcome().items.len())}</Heading>
            <ol class="items">
                {move || outcome().items.into_iter().map(|a| {
                    let item = a.item;
                    let dept = ctx.bundle.department_name(&item.department);
                    let because: Vec<(String, String)> = a.because.iter()
                        .map(|(q, ans)| (tr(&q.text), answer_words(q, ans)))
                        .collect();
                    view! {
                        <li class="item">
                            <span class="item-name">{move || tr(&item.name)}</span>
                            <span class="dept">{move || tr(&dept)}</span>
                            <span class="limit">{match item.time_limit_working_days {
                                Some(0) => t!(i18n, limit_on_the_spot).into_any(),
                                Some(n) => t!(i18n, limit_within, n).into_any(),
                                None => t!(i18n, limit_local).into_any(),
                            }}</span>
                            {item.time_limit_note.as_ref().map(|n| view! { <span class="limit-note">{move || tr(n)}</span> })}
                            <span class="fee">{move || tr(&item.fee)}</span>
                            <Locality note=ctx.bundle.event.locality_note(item.time_limit_source.or(item.source))/>
                            {(!because.is_empty()).then(|| view! {
                                <span class="because">{t!(i18n, because_you_answered)}
                                    {because.into_iter().map(|(q, a)| view! { <span class="reason">{q}" "<b>{a}</b></span> }).collect_view()}
                                </span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </div>
        <A href=move || after(&ctx, &Step::Result, to_check) attr:class="button primary">{t!(i18n, continue_)}</A>
        <ReadAloud/>
    }
}
