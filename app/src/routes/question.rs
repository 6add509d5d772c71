//! `/drafts/:draft/questions/:question`: one situation question per page
//! (情形引导). The answer is checked by core; a wrong one says why next to
//! the question and loses nothing. A changed answer drops what no longer
//! applies and says so on the next page.

use banshi_core::catalog::{Question, QuestionKind};
use banshi_core::guide::{check_answer, Answer};
use banshi_core::journey::Step;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use crate::components::back::BackLink;
use crate::components::dropped::Dropped;
use crate::components::error::{anchor, ErrorSummary};
use crate::components::heading::Heading;
use crate::components::locality::Locality;
use crate::components::read_aloud::ReadAloud;
use crate::drafts::{after, back, returning_to_check, use_draft, use_step};
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::time;

#[derive(Params, PartialEq, Clone, Debug)]
pub struct QuestionParams {
    question: Option<String>,
}

#[component]
pub fn QuestionPage() -> impl IntoView {
    let params = use_params::<QuestionParams>();
    let ctx = use_draft();
    let id = move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.question.clone())
                .unwrap_or_default()
        })
    };
    use_step(move || Step::Question(id()));
    move || {
        ctx.bundle
            .event
            .question(&id())
            .map(|q| view! { <QuestionBody q=q/> })
    }
}

/// What the resident has chosen or typed so far on this page.
#[derive(Clone, Default)]
struct Pending {
    choice: Option<String>,
    choices: Vec<String>,
    text: String,
}

fn pending_from(a: Option<&Answer>) -> Pending {
    match a {
        Some(Answer::Bool(b)) => Pending {
            choice: Some(if *b { "yes" } else { "no" }.into()),
            ..Default::default()
        },
        Some(Answer::Text(t)) => Pending {
            choice: Some(t.clone()),
            text: t.clone(),
            ..Default::default()
        },
        Some(Answer::Choices(c)) => Pending {
            choices: c.clone(),
            ..Default::default()
        },
        Some(Answer::Number(n)) => Pending {
            text: n.to_string(),
            ..Default::default()
        },
        None => Pending::default(),
    }
}

fn answer_of(q: &Question, p: &Pending) -> Option<Answer> {
    match q.kind {
        QuestionKind::YesNo => p.choice.as_deref().map(|c| Answer::Bool(c == "yes")),
        QuestionKind::Single => p.choice.clone().map(Answer::Text),
        QuestionKind::Multiple => Some(Answer::Choices(p.choices.clone())),
        QuestionKind::Date => Some(Answer::Text(p.text.trim().to_owned())),
        QuestionKind::Number => p
            .text
            .trim()
            .parse::<f64>()
            .ok()
            .map(Answer::Number)
            .or_else(|| Some(Answer::Text(p.text.clone()))),
    }
}

#[component]
fn QuestionBody(q: &'static Question) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let navigate = use_navigate();
    let to_check = returning_to_check();
    let here = Step::Question(q.id.clone());
    let n = ctx
        .outcome()
        .questions
        .iter()
        .position(|x| x.id == q.id)
        .map_or(1, |i| i + 1);
    let pending = RwSignal::new(pending_from(
        ctx.draft
            .with_untracked(|d| d.answers.get(&q.id).cloned())
            .as_ref(),
    ));
    let error: RwSignal<Option<Text>> = RwSignal::new(None);
    let back_to = back(&ctx, &here);
    let submit = {
        let here = here.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(a) = answer_of(q, &pending.get_untracked()) else {
                error.set(Some(if q.kind == QuestionKind::YesNo {
                    Text::new("请选择“是”或“否”", "Choose yes or no")
                } else {
                    Text::new("请选择一项", "Choose one")
                }));
                return;
            };
            match check_answer(q, &a, time::today()) {
                Ok(()) => {
                    error.set(None);
                    ctx.answer(&q.id, a);
                    navigate(&after(&ctx, &here, to_check), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    };
    let input_id = anchor(&format!("answer.{}", q.id));
    let control = match q.kind {
        QuestionKind::YesNo | QuestionKind::Single => {
            let options: Vec<(String, Text)> = if q.kind == QuestionKind::YesNo {
                vec![
                    ("yes".into(), Text::new("是", "Yes")),
                    ("no".into(), Text::new("否", "No")),
                ]
            } else {
                q.options
                    .iter()
                    .map(|o| (o.value.clone(), o.text.clone()))
                    .collect()
            };
            view! {
                <div class="radios">
                    {options.into_iter().enumerate().map(|(i, (value, text))| {
                        let oid = if i == 0 { input_id.clone() } else { format!("{input_id}-{i}") };
                        let oid2 = oid.clone();
                        let v = value.clone();
                        view! {
                            <label class="radio" for=oid2>
                                <input type="radio" name="answer" id=oid value=value.clone()
                                    prop:checked=move || pending.with(|p| p.choice.as_deref() == Some(v.as_str()))
                                    on:change=move |_| pending.update(|p| p.choice = Some(value.clone()))/>
                                <span>{move || tr(&text)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        QuestionKind::Multiple => view! {
            <div class="checks">
                {q.options.iter().enumerate().map(|(i, o)| {
                    let oid = if i == 0 { input_id.clone() } else { format!("{input_id}-{i}") };
                        let oid2 = oid.clone();
                    let v = o.value.clone();
                    let v2 = v.clone();
                    let text = o.text.clone();
                    view! {
                        <label class="check" for=oid2>
                            <input type="checkbox" id=oid
                                prop:checked=move || pending.with(|p| p.choices.contains(&v))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    pending.update(|p| {
                                        p.choices.retain(|x| x != &v2);
                                        if on { p.choices.push(v2.clone()); }
                                    });
                                }/>
                            <span>{move || tr(&text)}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="hint">{t!(i18n, none_applies_hint)}</p>
            </div>
        }
        .into_any(),
        QuestionKind::Date | QuestionKind::Number => {
            let is_date = q.kind == QuestionKind::Date;
            view! {
                <input id=input_id.clone() class="single" type=if is_date { "date" } else { "text" }
                    inputmode=if is_date { "numeric" } else { "decimal" }
                    prop:value=move || pending.with(|p| p.text.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); pending.update(|p| p.text = v); }/>
            }
            .into_any()
        }
    };
    let field_key = format!("answer.{}", q.id);
    view! {
        <BackLink href=back_to/>
        <Dropped/>
        {move || error.get().map(|e| view! {
            <ErrorSummary title=Text::new("请先回答这个问题", "Please answer this question")
                errors=vec![FieldError { field: field_key.clone(), message: e }]/>
        })}
        <form class="question" on:submit=submit novalidate>
            <div class="speak">
                <p class="step">{t!(i18n, question_n, n)}</p>
                <fieldset class="group" class:has-error=move || error.with(Option::is_some)>
                    <legend><Heading>{move || tr(&q.text)}</Heading></legend>
                    {q.help.as_ref().map(|h| view! { <p class="hint">{move || tr(h)}</p> })}
                    <Locality note=ctx.bundle.event.locality_note(q.source)/>
                    {move || error.get().map(|e| view! { <p class="field-error">{tr(&e)}</p> })}
                    {control}
                </fieldset>
            </div>
            <button type="submit" class="button primary">{t!(i18n, continue_)}</button>
        </form>
        <ReadAloud/>
    }
}
