//! `/drafts/:draft/form/:section`: one section of the merged form (一表申请):
//! each fact asked once for every item that needs it, prefilled where the
//! catalog allows and marked with where it came from. Continue checks this
//! section with core's validators: each error next to its field and in the
//! summary at the top, and nothing typed is lost.

use banshi_core::catalog::Field;
use banshi_core::draft::Prefill;
use banshi_core::journey::{self, Step};
use banshi_core::validate::{validate_form, FieldError};
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use crate::catalog::BundleExt;
use crate::components::back::BackLink;
use crate::components::dropped::Dropped;
use crate::components::error::ErrorSummary;
use crate::components::field::FieldInput;
use crate::components::heading::Heading;
use crate::drafts::{after, back, returning_to_check, use_draft, use_step, DraftCtx};
use crate::i18n::{t, use_i18n};
use crate::time;

#[derive(Params, PartialEq, Clone, Debug)]
pub struct SectionParams {
    section: Option<String>,
}

/// The fields of `subject` for the draft as it is now.
pub fn section_fields(ctx: &DraftCtx, subject: &str) -> Vec<&'static Field> {
    let outcome = ctx.outcome();
    journey::sections(&outcome.fields, &ctx.bundle.sections)
        .into_iter()
        .find(|(s, _)| *s == subject)
        .map(|(_, f)| f)
        .unwrap_or_default()
}

/// "来自电子证照：户口簿" / "From your real-name identity".
pub fn prefill_note(ctx: &DraftCtx, p: &Prefill) -> Text {
    match p {
        Prefill::Identity => match ctx.draft.with_untracked(|d| d.owner.principal.is_some()) {
            true => Text::new("来自对方的实名身份信息", "From their real-name identity"),
            false => Text::new("来自您的实名身份信息", "From your real-name identity"),
        },
        Prefill::Offer => Text::new(
            "来自给您的提醒所依据的信息",
            "From the facts the reminder was based on",
        ),
        Prefill::Ecert { ecert } => {
            let name = ctx
                .bundle
                .ecert(ecert)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| Text::new(ecert, ecert));
            Text::new(
                format!("来自电子证照：{}", name.zh),
                format!("From your electronic {}", name.en),
            )
        }
    }
}

#[component]
pub fn SectionPage() -> impl IntoView {
    let params = use_params::<SectionParams>();
    let subject = move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.section.clone())
                .unwrap_or_default()
        })
    };
    use_step(move || Step::Section(subject()));
    move || {
        let s = subject();
        view! { <SectionBody subject=s/> }
    }
}

/// A section's heading. Acting for someone (家人代办), the applicant is
/// them by name, not "您本人".
pub(crate) fn section_title(ctx: &DraftCtx, subject: &str) -> Text {
    let acting_for = ctx
        .draft
        .with_untracked(|d| d.owner.principal.is_some())
        .then(|| crate::session::use_session().acting_for())
        .flatten();
    match (&acting_for, subject) {
        (Some(p), "applicant") => Text::new(
            format!("申请人（{}）", p.name),
            format!("The applicant: {}", p.name),
        ),
        _ => ctx
            .bundle
            .section(subject)
            .map(|s| s.label.clone())
            .unwrap_or_else(|| Text::new(subject, subject)),
    }
}

#[component]
fn SectionBody(subject: String) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    let navigate = use_navigate();
    let to_check = returning_to_check();
    let here = Step::Section(subject.clone());
    let fields = section_fields(&ctx, &subject);
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let title = section_title(&ctx, &subject);
    let next = {
        let fields = fields.clone();
        let here = here.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let result = ctx
                .draft
                .with_untracked(|d| validate_form(&fields, &d.values, time::today()));
            match result {
                Ok(_) => {
                    errors.set(Vec::new());
                    navigate(&after(&ctx, &here, to_check), Default::default());
                }
                Err(e) => errors.set(e),
            }
        }
    };
    let back_to = back(&ctx, &here);
    // Arriving from check answers' 修改 with `#field-…`: focus that field.
    let hash = leptos_router::hooks::use_location().hash.get_untracked();
    if hash.len() > 1 {
        // After the heading has taken the focus as every page does.
        set_timeout(
            move || {
                if let Some(el) = document().get_element_by_id(hash.trim_start_matches('#')) {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            },
            std::time::Duration::from_millis(0),
        );
    }
    view! {
        <BackLink href=back_to/>
        <Dropped/>
        {move || {
            let e = errors.get();
            (!e.is_empty()).then(|| view! {
                <ErrorSummary title=Text::new("有几处需要修改", "Some answers need changing") errors=e/>
            })
        }}
        <Heading>{move || crate::lang::tr_names(&title)}</Heading>
        <p class="hint">{t!(i18n, form_once)}</p>
        <form class="merged-form" on:submit=next novalidate>
            {fields.into_iter().map(|f| {
                let key = f.key.clone();
                let k1 = key.clone();
                let k2 = key.clone();
                let k3 = key.clone();
                view! {
                    <FieldInput field=f
                        value=Signal::derive(move || ctx.draft.with(|d| d.values.get(&k1).cloned().unwrap_or_default()))
                        on_input=Callback::new(move |v: String| ctx.update(|d| d.set_value(&k2, v)))
                        error=Signal::derive(move || errors.with(|e| e.iter().find(|x| x.field == k3).map(|x| x.message.clone())))
                        note=Signal::derive(move || ctx.draft.with(|d| d.prefilled.get(&key).map(|p| prefill_note(&ctx, p))))/>
                }
            }).collect_view()}
            <button type="submit" class="button primary">{t!(i18n, continue_)}</button>
        </form>
    }
}
