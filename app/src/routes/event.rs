//! One life event, start to submit: the guide (one question per page), what
//! applies and which materials, the one merged form, check your answers, and
//! a single submission. Every rule is core's; the draft is saved on every
//! change, so nothing typed is ever lost.

use banshi_core::api::{ApiError, SubmitApplication};
use banshi_core::catalog::{Catalog, Event, Field, FieldKind, Question, QuestionKind};
use banshi_core::guide::{self, check_answer, Answer, Profile};
use banshi_core::validate::{validate_form, FieldError};
use banshi_core::Text;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api;
use crate::components::bi::{bi, Bi};
use crate::components::error::ErrorSummary;
use crate::draft::{self, Draft};
use crate::routes::not_found::NotFound;
use crate::session::use_session;

/// Today in China, from the device clock.
pub fn today() -> NaiveDate {
    let ms = js_sys::Date::now() as i64;
    banshi_core::message::china_time(
        chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default(),
    )
    .date_naive()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Guide,
    Form,
    Check,
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.read().get("id").unwrap_or_default();
        match Catalog::embedded().event(&id) {
            Some(event) => view! { <Journey event=event/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        }
    }
}

fn field_errors_from(e: &ApiError) -> Vec<FieldError> {
    e.error.fields.clone()
}

#[component]
fn Journey(event: &'static Event) -> impl IntoView {
    let session = use_session();
    let draft = RwSignal::new(draft::load(&event.id));
    Effect::new(move || draft.with(|d| draft::save(&event.id, d)));
    let stage = RwSignal::new(Stage::Guide);
    let editing: RwSignal<Option<String>> = RwSignal::new(None);
    let dropped: RwSignal<Vec<Text>> = RwSignal::new(Vec::new());
    let form_errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let submit_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let outcome =
        move || draft.with(|d| guide::evaluate(event, &d.answers, &Profile::new(today())));

    // Setting an answer prunes what no longer applies, and says what was dropped.
    let set_answer = move |q: &'static Question, a: Answer| {
        let profile = Profile::new(today());
        draft.update(|d| {
            d.answers.insert(q.id.clone(), a);
            let p = guide::prune(event, &d.answers, &d.values, &profile);
            let mut notes: Vec<Text> = p
                .dropped_answers
                .iter()
                .filter_map(|id| event.question(id))
                .map(|q| q.text.clone())
                .collect();
            notes.extend(
                p.dropped_fields
                    .iter()
                    .filter_map(|k| event.field(k))
                    .map(|f| f.label.clone()),
            );
            dropped.set(notes);
            d.answers = p.answers;
            d.values = p.values;
        });
        editing.set(None);
    };

    let go_back = move |_| {
        // Un-answer the last answered question that still applies.
        let last = outcome()
            .questions
            .iter()
            .rev()
            .find(|q| draft.with(|d| d.answers.contains_key(&q.id)))
            .map(|q| q.id.clone());
        if let Some(id) = last {
            draft.update(|d| {
                d.answers.remove(&id);
            });
        }
        stage.set(Stage::Guide);
    };

    let start_form = move |_| {
        // Prefill from the signed-in identity where the catalog allows it; never overwrite.
        if let Some(prefill) = session.get().and_then(|s| s.resident).map(|r| r.prefill) {
            let fields: Vec<&Field> = outcome().fields;
            draft.update(|d| {
                for f in fields {
                    if let Some(v) = f.prefill.as_ref().and_then(|p| prefill.get(p)) {
                        d.values.entry(f.key.clone()).or_insert_with(|| v.clone());
                    }
                }
            });
        }
        form_errors.set(Vec::new());
        stage.set(Stage::Form);
    };

    let check_form = move |_| {
        let fields = outcome().fields;
        let result = draft.with(|d| validate_form(&fields, &d.values, today()));
        match result {
            Ok(_) => {
                form_errors.set(Vec::new());
                draft.update(|d| {
                    if d.idempotency_key.is_none() {
                        d.idempotency_key = Some(draft::new_idempotency_key());
                    }
                });
                stage.set(Stage::Check);
            }
            Err(errors) => form_errors.set(errors),
        }
    };

    let navigate = use_navigate();
    let submit = Action::new_local(move |(): &()| {
        let d: Draft = draft.get_untracked();
        let csrf = session.get().and_then(|s| s.csrf_token).unwrap_or_default();
        let body = SubmitApplication {
            event_id: event.id.clone(),
            answers: d.answers.clone(),
            fields: d.values.clone(),
            materials: Default::default(),
        };
        let key = d
            .idempotency_key
            .clone()
            .unwrap_or_else(draft::new_idempotency_key);
        async move { api::submit(&body, &csrf, &key).await }
    });
    Effect::new(move || {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(app) => {
                    draft::clear(&event.id);
                    navigate(&format!("/applications/{}", app.id), Default::default());
                }
                Err(e) => {
                    let fields = field_errors_from(&e);
                    if !fields.is_empty() && fields.iter().all(|f| !f.field.starts_with("answers."))
                    {
                        form_errors.set(fields);
                        stage.set(Stage::Form);
                    }
                    submit_error.set(Some(e));
                }
            }
        }
    });

    view! {
        <article class="journey">
            <p class="crumb"><Bi text=event.name.clone()/></p>
            {move || {
                let notes = dropped.get();
                (!notes.is_empty()).then(|| view! {
                    <div class="notice" role="status">
                        <p>{bi("因为您改了回答，下面这些不再需要，已经去掉：", "Because you changed an answer, these no longer apply and were removed:")}</p>
                        <ul>{notes.into_iter().map(|t| view! { <li><Bi text=t/></li> }).collect_view()}</ul>
                    </div>
                })
            }}
            {move || {
                let o = outcome();
                let editing_q = editing.get().and_then(|id| event.question(&id));
                // An unanswered question that applies always comes first, even
                // after "change" on the check page; then the stage decides.
                match (editing_q.or(o.next_question), stage.get()) {
                    (Some(q), _) => {
                        let current = draft.with(|d| d.answers.get(&q.id).cloned());
                        let n = o.questions.iter().position(|x| x.id == q.id).map(|i| i + 1).unwrap_or(1);
                        view! { <QuestionPage q=q n=n current=current on_answer=set_answer on_back=go_back/> }.into_any()
                    }
                    (None, Stage::Guide) => view! { <Summary event=event draft=draft on_start=start_form on_back=go_back/> }.into_any(),
                    (None, Stage::Form) => view! { <FormPage event=event draft=draft errors=form_errors on_next=check_form/> }.into_any(),
                    (None, Stage::Check) => view! {
                        <CheckPage event=event draft=draft stage=stage editing=editing submit=submit error=submit_error/>
                    }.into_any(),
                }
            }}
        </article>
    }
}

#[component]
fn QuestionPage(
    q: &'static Question,
    n: usize,
    current: Option<Answer>,
    on_answer: impl Fn(&'static Question, Answer) + Copy + Send + Sync + 'static,
    on_back: impl Fn(()) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error: RwSignal<Option<Text>> = RwSignal::new(None);
    let text_value = RwSignal::new(match &current {
        Some(Answer::Text(t)) => t.clone(),
        Some(Answer::Number(n)) => n.to_string(),
        _ => String::new(),
    });
    let chosen = RwSignal::new(match &current {
        Some(Answer::Choices(c)) => c.clone(),
        _ => Vec::new(),
    });
    let submit = move |a: Answer| match check_answer(q, &a, today()) {
        Ok(()) => on_answer(q, a),
        Err(e) => error.set(Some(e)),
    };
    let input = match q.kind {
        QuestionKind::YesNo => view! {
            <div class="choices">
                <button class="choice" on:click=move |_| submit(Answer::Bool(true))>{bi("是", "Yes")}</button>
                <button class="choice" on:click=move |_| submit(Answer::Bool(false))>{bi("否", "No")}</button>
            </div>
        }
        .into_any(),
        QuestionKind::Single => view! {
            <div class="choices">
                {q.options.iter().map(|o| {
                    let v = o.value.clone();
                    view! { <button class="choice" on:click=move |_| submit(Answer::Text(v.clone()))><Bi text=o.text.clone()/></button> }
                }).collect_view()}
            </div>
        }
        .into_any(),
        QuestionKind::Multiple => view! {
            <fieldset class="checks">
                {q.options.iter().map(|o| {
                    let v = o.value.clone();
                    let v2 = v.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox"
                                prop:checked=move || chosen.with(|c| c.contains(&v))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| x != &v2); if on { c.push(v2.clone()); } });
                                }/>
                            <Bi text=o.text.clone()/>
                        </label>
                    }
                }).collect_view()}
                <p class="hint">{bi("都不是就直接点“继续”", "If none applies, just continue")}</p>
                <button class="button" on:click=move |_| submit(Answer::Choices(chosen.get()))>{bi("继续", "Continue")}</button>
            </fieldset>
        }
        .into_any(),
        QuestionKind::Date | QuestionKind::Number => {
            let is_date = q.kind == QuestionKind::Date;
            view! {
                <div class="single-input">
                    <input id=format!("q-{}", q.id) type=if is_date { "date" } else { "number" } inputmode=if is_date { "text" } else { "numeric" }
                        prop:value=move || text_value.get()
                        on:input=move |ev| text_value.set(event_target_value(&ev))/>
                    <button class="button" on:click=move |_| {
                        let raw = text_value.get();
                        let a = if is_date { Answer::Text(raw.trim().to_owned()) } else {
                            raw.trim().parse::<f64>().map(Answer::Number).unwrap_or(Answer::Text(raw))
                        };
                        submit(a)
                    }>{bi("继续", "Continue")}</button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="question" aria-live="polite">
            <p class="step">{format!("第 {n} 个问题 · Question {n}")}</p>
            <h1><Bi text=q.text.clone()/></h1>
            {q.help.clone().map(|h| view! { <p class="hint"><Bi text=h/></p> })}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert"><Bi text=e/></p> })}
            {input}
            {(n > 1).then(|| view! { <button class="link back" on:click=move |_| on_back(())>{bi("← 上一步", "← Back")}</button> })}
        </section>
    }
}

#[component]
fn Summary(
    event: &'static Event,
    draft: RwSignal<Draft>,
    on_start: impl Fn(()) + Copy + Send + Sync + 'static,
    on_back: impl Fn(()) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <SummaryBody event=event draft=draft/>
        <button class="button primary" on:click=move |_| on_start(())>{bi("开始填表", "Fill in the form")}</button>
        {(!event.questions.is_empty()).then(|| view! {
            <button class="link back" on:click=move |_| on_back(())>{bi("← 上一步", "← Back")}</button>
        })}
    }
}

#[component]
fn SummaryBody(event: &'static Event, draft: RwSignal<Draft>) -> impl IntoView {
    let o = draft.with_untracked(|d| guide::evaluate(event, &d.answers, &Profile::new(today())));
    let catalog = Catalog::embedded();
    view! {
        <h1>{bi("根据您的回答，一次办好这些事项", "From your answers, these items will be done in one go")}</h1>
        <ol class="items">
            {o.items.iter().map(|a| {
                let dept = catalog.department(&a.item.department).map(|d| d.name.clone()).unwrap_or_else(|| Text::new("", ""));
                let limit = match a.item.time_limit_working_days {
                    Some(0) => Text::new("当场办结", "Done on the spot"),
                    Some(n) => Text::new(format!("承诺{n}个工作日内办结"), format!("Within {n} working days")),
                    None => Text::new("办理时限以当地规定为准", "Time limit set locally"),
                };
                let because: Vec<Text> = a.because.iter().map(|(q, _)| q.text.clone()).collect();
                view! {
                    <li class="item">
                        <b><Bi text=a.item.name.clone()/></b>
                        <span class="dept"><Bi text=dept/></span>
                        <span class="limit"><Bi text=limit/></span>
                        <span class="fee"><Bi text=a.item.fee.clone()/></span>
                        {(!because.is_empty()).then(|| view! {
                            <span class="because">{bi("因为您回答了：", "Because you answered: ")}
                                {because.into_iter().map(|t| view! { <Bi text=t/> }).collect_view()}
                            </span>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
        {(!o.materials.is_empty()).then(|| view! {
            <h2>{bi("需要准备的材料", "Materials to prepare")}</h2>
            <ul class="materials">
                {o.materials.iter().map(|m| view! {
                    <li>
                        <Bi text=m.material.name.clone()/>
                        {m.waived.then(|| view! { <span class="tag ok">{bi("免提交", "Not needed: shared electronically")}</span> })}
                        {m.promise.then(|| view! { <span class="tag">{bi("可告知承诺", "A signed promise is accepted")}</span> })}
                        {m.deferrable.then(|| view! { <span class="tag">{bi("可容缺后补", "May follow later")}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn FormPage(
    event: &'static Event,
    draft: RwSignal<Draft>,
    errors: RwSignal<Vec<FieldError>>,
    on_next: impl Fn(()) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let fields =
        draft.with_untracked(|d| guide::evaluate(event, &d.answers, &Profile::new(today())).fields);
    view! {
        <h1>{bi("填写申请表", "Fill in the form")}</h1>
        <p class="hint">{bi("每项信息只填一次，会同时用于所有相关部门。已从您的身份信息中带出的内容，请核对。",
            "Each fact once, shared with every department. Check what we filled in from your identity.")}</p>
        {move || {
            let errs = errors.get();
            (!errs.is_empty()).then(|| {
                let mut e = ApiError::new("invalid_fields", Text::new("有几处需要修改", "Some answers need changing"));
                e.error.fields = errs;
                view! { <ErrorSummary error=e/> }
            })
        }}
        <form class="merged-form" on:submit=move |ev| { ev.prevent_default(); on_next(()); } novalidate>
            {fields.into_iter().map(|f| view! { <FieldInput field=f draft=draft errors=errors/> }).collect_view()}
            <button class="button primary" type="submit">{bi("继续", "Continue")}</button>
        </form>
    }
}

#[component]
fn FieldInput(
    field: &'static Field,
    draft: RwSignal<Draft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let key = field.key.clone();
    let id = format!("field-{}", field.key);
    let error = {
        let key = key.clone();
        Memo::new(move |_| {
            errors.with(|e| e.iter().find(|x| x.field == key).map(|x| x.message.clone()))
        })
    };
    let value = {
        let key = key.clone();
        move || draft.with(|d| d.values.get(&key).cloned().unwrap_or_default())
    };
    let on_input = {
        let key = key.clone();
        move |ev| {
            let v = event_target_value(&ev);
            draft.update(|d| {
                d.values.insert(key.clone(), v);
            });
        }
    };
    let (kind, mode) = match field.kind {
        FieldKind::Date => ("date", "text"),
        FieldKind::Mobile => ("tel", "tel"),
        FieldKind::IdNumber | FieldKind::CreditCode => ("text", "text"),
        FieldKind::BankCard | FieldKind::Number => ("text", "numeric"),
        _ => ("text", "text"),
    };
    let input = if field.kind == FieldKind::Choice {
        view! {
            <select id=id.clone() prop:value=value on:change=on_input>
                <option value="">"请选择 · Choose"</option>
                {field.options.iter().map(|o| view! { <option value=o.value.clone()>{o.text.zh.clone()}" · "{o.text.en.clone()}</option> }).collect_view()}
            </select>
        }
        .into_any()
    } else {
        view! { <input id=id.clone() type=kind inputmode=mode autocomplete="off" prop:value=value on:input=on_input/> }.into_any()
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>
                <Bi text=field.label.clone()/>
                {(!field.required).then(|| view! { <span class="optional">"（选填 optional）"</span> })}
            </label>
            {field.help.clone().map(|h| view! { <p class="hint"><Bi text=h/></p> })}
            {move || error.get().map(|e| view! { <p class="field-error"><Bi text=e/></p> })}
            {input}
        </div>
    }
}

#[component]
fn CheckPage(
    event: &'static Event,
    draft: RwSignal<Draft>,
    stage: RwSignal<Stage>,
    editing: RwSignal<Option<String>>,
    submit: Action<(), Result<banshi_core::api::ApplicationView, ApiError>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let session = use_session();
    let d = draft.get_untracked();
    let o = guide::evaluate(event, &d.answers, &Profile::new(today()));
    let answer_text = |q: &Question, a: &Answer| -> String {
        match a {
            Answer::Bool(true) => "是 Yes".into(),
            Answer::Bool(false) => "否 No".into(),
            Answer::Text(t) => q
                .options
                .iter()
                .find(|o| &o.value == t)
                .map(|o| o.text.zh.clone())
                .unwrap_or_else(|| t.clone()),
            Answer::Choices(c) if c.is_empty() => "都不是 None".into(),
            Answer::Choices(c) => c
                .iter()
                .filter_map(|v| {
                    q.options
                        .iter()
                        .find(|o| &o.value == v)
                        .map(|o| o.text.zh.clone())
                })
                .collect::<Vec<_>>()
                .join("、"),
            Answer::Number(n) => n.to_string(),
        }
    };
    let pending = submit.pending();
    view! {
        <h1>{bi("提交前请核对", "Check your answers before submitting")}</h1>
        {move || error.get().map(|e| view! { <ErrorSummary error=e/> })}
        <h2>{bi("您的情况", "Your situation")}</h2>
        <dl class="check-list">
            {o.questions.iter().filter_map(|q| d.answers.get(&q.id).map(|a| (q, a))).map(|(q, a)| {
                let id = q.id.clone();
                view! {
                    <div class="row">
                        <dt><Bi text=q.text.clone()/></dt>
                        <dd>{answer_text(q, a)}</dd>
                        <dd><button class="link" on:click=move |_| editing.set(Some(id.clone()))>{bi("修改", "Change")}</button></dd>
                    </div>
                }
            }).collect_view()}
        </dl>
        <h2>{bi("申请表", "The form")}</h2>
        <dl class="check-list">
            {o.fields.iter().map(|f| {
                let v = d.values.get(&f.key).cloned().unwrap_or_default();
                view! {
                    <div class="row">
                        <dt><Bi text=f.label.clone()/></dt>
                        <dd>{if v.is_empty() { "—".to_owned() } else { v }}</dd>
                        <dd><button class="link" on:click=move |_| stage.set(Stage::Form)>{bi("修改", "Change")}</button></dd>
                    </div>
                }
            }).collect_view()}
        </dl>
        {move || if session.signed_in() {
            view! {
                <button class="button primary" disabled=move || pending.get() on:click=move |_| { error.set(None); submit.dispatch(()); }>
                    {move || if pending.get() { bi("正在提交…", "Submitting…").into_any() } else { bi("确认提交", "Submit").into_any() }}
                </button>
                <p class="hint">{bi("只需提交这一次，我们会送到每个相关部门。", "Submit once; we send it to every department.")}</p>
            }.into_any()
        } else {
            view! {
                <p>{bi("提交前需要登录。您填写的内容已保存在本机，登录后会回到这里。", "Please sign in to submit. What you entered is saved on this phone; you will come back here.")}</p>
                <a class="button primary" rel="external" href=api::login_url(&format!("/events/{}", event.id))>{bi("登录后提交", "Sign in to submit")}</a>
            }.into_any()
        }}
    }
}
