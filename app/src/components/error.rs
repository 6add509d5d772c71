//! How problems look. `ErrorSummary` is GOV.UK's error summary: a box at
//! the top that takes the focus, with one link per problem that moves the
//! focus to the field or material it is about. `page_error` is every page's
//! `<ErrorBoundary>` fallback: the error in plain words, and the way on
//! (sign in and come back here; try again), never a raw error.

use banshi_core::validate::FieldError;
use banshi_core::Text;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::heading::Heading;
use crate::api::{self, Failure};
use crate::i18n::{t, use_i18n};
use crate::lang::tr;

/// The element id of a field's or material's input, for links and labels.
pub fn anchor(key: &str) -> String {
    format!("field-{}", key.replace(['.', ':'], "-"))
}

fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            el.scroll_into_view();
            let _ = el.focus();
        }
    }
}

#[component]
pub fn ErrorSummary(
    /// What is wrong overall, e.g. 有几处需要修改.
    title: Text,
    /// One entry per field or material (`field` is its key).
    #[prop(optional)]
    errors: Vec<FieldError>,
    /// Where each problem is fixed, when that is another page (check
    /// answers); by default the link moves the focus on this page.
    #[prop(optional)]
    href_for: Option<Callback<String, String>>,
) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    Effect::new(move || {
        if let Some(d) = node.get() {
            let _ = d.focus();
        }
    });
    view! {
        <div class="error-summary" role="alert" tabindex="-1" node_ref=node>
            <h2>{move || tr(&title)}</h2>
            <ul>
                {errors
                    .into_iter()
                    .map(|f| {
                        let message = f.message.clone();
                        if let Some(to) = href_for {
                            let href = to.run(f.field.clone());
                            return view! { <li><A href=href>{move || tr(&message)}</A></li> }.into_any();
                        }
                        let id = anchor(&f.field);
                        let href = format!("#{id}");
                        view! {
                            <li>
                                <a href=href on:click=move |ev| { ev.prevent_default(); focus(&id); }>
                                    {move || tr(&message)}
                                </a>
                            </li>
                        }
                        .into_any()
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// A failed call shown on the page where it happened: its message, and a
/// sign-in link that comes back to this very page when it needs one.
#[component]
pub fn FailureNotice(failure: Failure) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let signin = failure.unauthenticated();
    let message = failure.message().clone();
    // Which field, and why: the edge names each (a 422).
    let fields: Vec<Text> = failure
        .error
        .error
        .fields
        .iter()
        .map(|f| f.message.clone())
        .collect();
    view! {
        <div class="notice error" role="alert">
            <p>{move || tr(&message)}</p>
            {(!fields.is_empty()).then(|| view! {
                <ul>{fields.into_iter().map(|m| view! { <li>{move || tr(&m)}</li> }).collect_view()}</ul>
            })}
            {signin.then(|| view! {
                <a class="button primary" rel="external" href=move || api::login_url(&here())>{t!(i18n, sign_in)}</a>
            })}
        </div>
    }
}

/// Every page's `<ErrorBoundary>` fallback: a heading that says what kind
/// of problem it is, then the problem in plain words and the way on.
pub fn page_error(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        let all = errors.get();
        let first = all
            .iter()
            .next()
            .and_then(|(_, e)| e.downcast_ref::<Failure>().cloned());
        let i18n = use_i18n();
        let heading = match first.as_ref() {
            Some(f) if f.status == 0 => t!(i18n, error_offline_title).into_any(),
            Some(f) if f.unauthenticated() => t!(i18n, error_signin_title).into_any(),
            Some(f) if f.status == 404 => t!(i18n, not_found_title).into_any(),
            _ => t!(i18n, error_title).into_any(),
        };
        view! {
            <Heading>{heading}</Heading>
            {all.into_iter()
                .map(|(_, e)| match e.downcast_ref::<Failure>() {
                    Some(f) => view! { <FailureNotice failure=f.clone()/> }.into_any(),
                    None => view! { <GenericError/> }.into_any(),
                })
                .collect_view()}
            <A href="/" attr:class="button secondary">{t!(i18n, go_home)}</A>
        }
    }
}

#[component]
fn GenericError() -> impl IntoView {
    let i18n = use_i18n();
    view! { <div class="notice error" role="alert"><p>{t!(i18n, error_generic)}</p></div> }
}
