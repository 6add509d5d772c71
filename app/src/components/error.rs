//! How an `ApiError` looks: the message, and each field's problem as a list
//! (GOV.UK's error summary), announced to screen readers.

use banshi_core::api::ApiError;
use leptos::prelude::*;

use super::bi::Bi;

#[component]
pub fn ErrorSummary(error: ApiError) -> impl IntoView {
    let fields = error.error.fields.clone();
    view! {
        <div class="error-summary" role="alert" tabindex="-1">
            <h2><Bi text=error.error.message.clone()/></h2>
            <ul>
                {fields
                    .into_iter()
                    .map(|f| view! { <li><a href=format!("#field-{}", f.field)><Bi text=f.message/></a></li> })
                    .collect_view()}
            </ul>
        </div>
    }
}
