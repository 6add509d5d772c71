//! One field of the merged form: its label (tied to the input), hint,
//! where a prefilled value came from, its error next to it, and the right
//! keyboard on a phone (`inputmode`, `autocomplete`). The value lives in the
//! caller's state (the draft, or a correction), so nothing typed is lost
//! when the page re-renders or the language changes.

use banshi_core::catalog::{Field, FieldKind};
use banshi_core::Text;
use leptos::prelude::*;

use super::error::anchor;
use crate::i18n::{t, use_i18n};
use crate::lang::tr;

/// (`type`, `inputmode`, `autocomplete`) for a field.
fn keyboard(field: &Field) -> (&'static str, &'static str, &'static str) {
    let own = field.subject() == "applicant";
    match field.kind {
        FieldKind::Date => ("date", "numeric", "off"),
        FieldKind::Mobile => ("tel", "tel", if own { "tel" } else { "off" }),
        FieldKind::BankCard | FieldKind::Number => ("text", "numeric", "off"),
        FieldKind::Name => ("text", "text", if own { "name" } else { "off" }),
        FieldKind::Address => ("text", "text", if own { "street-address" } else { "off" }),
        _ => ("text", "text", "off"),
    }
}

#[component]
pub fn FieldInput(
    field: &'static Field,
    /// The value as typed.
    #[prop(into)]
    value: Signal<String>,
    /// Every keystroke.
    on_input: Callback<String>,
    /// Core's message for this field, if it is wrong.
    #[prop(into)]
    error: Signal<Option<Text>>,
    /// Where a prefilled value came from (来自电子证照：户口簿).
    #[prop(optional, into)]
    note: Signal<Option<Text>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = anchor(&field.key);
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = move || {
        let mut ids = Vec::new();
        if field.help.is_some() {
            ids.push(hint_id.clone());
        }
        if error.with(Option::is_some) {
            ids.push(err_id.clone());
        }
        ids.join(" ")
    };
    let (kind, mode, auto) = keyboard(field);
    let label = field.label.clone();
    let control = if field.kind == FieldKind::Choice {
        view! {
            <fieldset class="radios" aria-describedby=described.clone()>
                <legend class="sr-only">{move || tr(&label)}</legend>
                {field.options.iter().enumerate().map(|(i, o)| {
                    let v = o.value.clone();
                    let v2 = v.clone();
                    let oid = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                        let oid2 = oid.clone();
                    let text = o.text.clone();
                    view! {
                        <label class="radio" for=oid2>
                            <input type="radio" id=oid name=id.clone()
                                prop:checked=move || value.with(|x| x == &v)
                                on:change=move |_| on_input.run(v2.clone())/>
                            <span>{move || tr(&text)}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind inputmode=mode autocomplete=auto
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
        }
        .into_any()
    };
    let label = field.label.clone();
    let help = field.help.clone();
    let for_id = (field.kind != FieldKind::Choice).then(|| anchor(&field.key));
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label class="label" for=for_id>
                {move || tr(&label)}
                {(!field.required).then(|| view! { <span class="optional">{t!(i18n, optional)}</span> })}
            </label>
            {help.map(|h| view! { <p class="hint" id=format!("{}-hint", anchor(&field.key))>{move || tr(&h)}</p> })}
            {move || note.get().map(|n| view! { <p class="prefilled">{tr(&n)}</p> })}
            {move || error.get().map(|e| view! {
                <p class="field-error" id=format!("{}-error", anchor(&field.key))>{tr(&e)}</p>
            })}
            {control}
        </div>
    }
}
