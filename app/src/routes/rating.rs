//! `/applications/:app/rate`: 好差评, once the whole event is done: 1 to 5
//! and an optional comment, sent once (a second tap is answered as the
//! first). The rating goes on to the national evaluation platform.

use banshi_core::rating::RateApplication;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, Failure};
use crate::components::back::BackLink;
use crate::components::error::FailureNotice;
use crate::components::heading::Heading;
use crate::i18n::{t, use_i18n};
use crate::lang::pick;
use crate::routes::confirmation::app_id;
use crate::session::use_session;

#[component]
pub fn RatingPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = app_id();
    let session = use_session();
    let navigate = use_navigate();
    let score = RwSignal::new(0i64);
    let comment = RwSignal::new(String::new());
    let failure: RwSignal<Option<Failure>> = RwSignal::new(None);
    let missing = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let words = [
        ("非常不满意", "Very dissatisfied"),
        ("不满意", "Dissatisfied"),
        ("基本满意", "Fairly satisfied"),
        ("满意", "Satisfied"),
        ("非常满意", "Very satisfied"),
    ];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if score.get_untracked() == 0 {
            missing.set(true);
            return;
        }
        let body = RateApplication {
            score: score.get_untracked(),
            comment: comment.get_untracked(),
        };
        let csrf = session.csrf().unwrap_or_default();
        let app = id();
        let navigate = navigate.clone();
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::rate(&app, &body, &csrf).await {
                Ok(_) => {
                    crate::components::live::announce(pick("谢谢您的评价", "Thank you for rating"));
                    navigate(&format!("/applications/{app}"), Default::default());
                }
                Err(f) => failure.set(Some(f)),
            }
            pending.set(false);
        });
    };
    view! {
        <BackLink href=move || format!("/applications/{}", id())/>
        <Heading>{t!(i18n, rating_title)}</Heading>
        {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        <form on:submit=submit novalidate>
            <fieldset class="group" class:has-error=move || missing.get()>
                <legend class="label">{t!(i18n, rating_question)}</legend>
                {move || missing.get().then(|| view! { <p class="field-error" role="alert">{t!(i18n, rating_choose)}</p> })}
                <div class="radios stars">
                    {words.into_iter().enumerate().map(|(i, (zh, en))| {
                        let n = i as i64 + 1;
                        let oid = format!("score-{n}");
                        let oid2 = oid.clone();
                        view! {
                            <label class="radio" for=oid2>
                                <input type="radio" name="score" id=oid prop:checked=move || score.get() == n
                                    on:change=move |_| { score.set(n); missing.set(false); }/>
                                <span>{"★".repeat(i + 1)}" "{move || pick(zh, en)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="field">
                <label class="label" for="comment">{t!(i18n, rating_comment)}</label>
                <textarea id="comment" maxlength="500" rows="4" prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button primary" disabled=move || pending.get()>{t!(i18n, rating_send)}</button>
        </form>
    }
}
