//! `/drafts/:draft/materials`: every material the items need, once each
//! (one photo serves every item that needs the document), how it will be
//! provided, and a link to provide or change it. Continue checks that each
//! has a way; the error summary links to the ones missing.

use banshi_core::draft::Choice;
use banshi_core::journey::{self, Step};
use banshi_core::validate::FieldError;
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::back::BackLink;
use crate::components::dropped::Dropped;
use crate::components::error::{anchor, ErrorSummary};
use crate::components::heading::Heading;
use crate::components::locality::Locality;
use crate::drafts::{after, back, returning_to_check, use_draft, use_step, DraftCtx};
use crate::i18n::{t, use_i18n};
use crate::lang::{pick, tr};

/// What the resident chose for a material, in words.
pub fn choice_words(ctx: &DraftCtx, choice: Option<&Choice>) -> String {
    match choice {
        None => pick("还没有提供", "Not provided yet").into(),
        Some(Choice::Ecert { ecert }) => {
            let name = ctx
                .bundle
                .ecerts
                .iter()
                .find(|c| &c.id == ecert)
                .map(|c| tr(&c.name))
                .unwrap_or_default();
            format!(
                "{}{name}",
                pick("免提交：用电子证照 ", "Not needed: electronic ")
            )
        }
        Some(Choice::Upload { pages }) => {
            format!(
                "{}{}",
                pages.len(),
                pick(" 页，已拍照", " page(s) photographed")
            )
        }
        Some(Choice::Promise { .. }) => {
            pick("已签告知承诺书", "Statement of commitment signed").into()
        }
        Some(Choice::Deferred) => pick("以后补交（容缺受理）", "To follow later").into(),
    }
}

/// The materials of the draft with no way chosen yet.
pub fn missing(ctx: &DraftCtx) -> Vec<FieldError> {
    let outcome = ctx.outcome();
    let needs = journey::materials(&outcome);
    ctx.draft.with(|d| {
        needs
            .iter()
            .filter(|m| !d.materials.contains_key(m.id()))
            .map(|m| FieldError {
                field: format!("materials.{}", m.id()),
                message: Text::new(
                    format!("「{}」还没有提供", m.name().zh),
                    format!("{}: not provided yet", m.name().en),
                ),
            })
            .collect()
    })
}

#[component]
pub fn MaterialsPage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_draft();
    use_step(|| Step::Materials);
    let to_check = returning_to_check();
    let navigate = use_navigate();
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let next = move |_| {
        let m = missing(&ctx);
        if m.is_empty() {
            navigate(&after(&ctx, &Step::Materials, to_check), Default::default());
        } else {
            errors.set(m);
        }
    };
    let ret = if to_check { "?return=check" } else { "" };
    view! {
        <BackLink href=move || back(&ctx, &Step::Materials)/>
        <Dropped/>
        {move || {
            let e = errors.get();
            (!e.is_empty()).then(|| view! {
                <ErrorSummary title=Text::new("还有材料没有提供", "Some materials are still missing") errors=e/>
            })
        }}
        <div class="speak">
            <Heading>{t!(i18n, materials_title)}</Heading>
            <p class="lead">{t!(i18n, materials_lead)}</p>
        </div>
        <ul class="material-list">
            {move || {
                let outcome = ctx.outcome();
                journey::materials(&outcome).into_iter().map(|m| {
                    let id = m.id().to_owned();
                    let choice = ctx.draft.with(|d| d.materials.get(&id).cloned());
                    let done = choice.is_some();
                    let words = choice_words(&ctx, choice.as_ref());
                    let name = m.name().clone();
                    let items: Vec<String> = m.items.iter().map(|i| tr(&i.name)).collect();
                    let href = format!("{}/{}{ret}", ctx.path(&Step::Materials), id);
                    view! {
                        <li class="material" class:done=done>
                            <span class="material-name">{move || tr(&name)}</span>
                            <span class="for-items">{t!(i18n, material_for)}{items.join(pick("、", ", "))}</span>
                            <span class="material-state">{words}</span>
                            <Locality note=ctx.bundle.event.locality_note(m.material.source)/>
                            <A href=href attr:id=anchor(&format!("materials.{id}")) attr:class="button secondary">
                                {if done { t!(i18n, change).into_any() } else { t!(i18n, provide).into_any() }}
                                <span class="sr-only">{move || tr(&m.material.name)}</span>
                            </A>
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
        <button type="button" class="button primary" on:click=next>{t!(i18n, continue_)}</button>
    }
}
