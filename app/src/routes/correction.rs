//! `/applications/:app/items/:item/correct`: a correction (补正) that says
//! exactly what to fix: for each point the department named, which field
//! or material, why, and how — with the field prefilled from what was sent,
//! or a new photo for a material. Only this item is resubmitted; the others
//! are not touched. Errors are core's, next to the field; nothing typed or
//! photographed is lost on a failed attempt.

use std::collections::BTreeMap;

use banshi_core::api::{ApplicationView, EventBundle, ItemView, Provision, ResubmitItem};
use banshi_core::catalog::Field;
use banshi_core::draft::Page;
use banshi_core::guide::FieldValues;
use banshi_core::validate::{validate_form, FieldError};
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use crate::api::{self, Failure};
use crate::components::back::BackLink;
use crate::components::error::{anchor, ErrorSummary, FailureNotice};
use crate::components::field::FieldInput;
use crate::components::heading::Heading;
use crate::components::page::Page as PageFrame;
use crate::components::photos::Photos;
use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::session::use_session;
use crate::{catalog, store, time};

#[derive(Params, PartialEq, Clone, Debug)]
pub struct ItemParams {
    pub app: Option<String>,
    pub item: Option<String>,
}

pub fn item_params() -> impl Fn() -> (String, String) + Copy + Send + Sync + 'static {
    let params = use_params::<ItemParams>();
    move || {
        params.with(|p| {
            let p = p.as_ref().ok();
            (
                p.and_then(|p| p.app.clone()).unwrap_or_default(),
                p.and_then(|p| p.item.clone()).unwrap_or_default(),
            )
        })
    }
}

/// The application, the item in it and its event, for an item's own page.
pub async fn load_item(
    app: String,
    item: String,
) -> Result<(ApplicationView, ItemView, &'static EventBundle), Failure> {
    let a = api::application(&app).await?;
    let i = a
        .items
        .iter()
        .find(|i| i.id == item)
        .cloned()
        .ok_or_else(|| {
            Failure::local(
                "not_found",
                Text::new("没有找到这一项", "This item was not found"),
            )
        })?;
    let b = catalog::bundle(&a.event_id).await?;
    Ok((a, i, b))
}

/// Upload pages kept on the phone; their attachment ids in order.
pub async fn upload_pages(pages: &[Page], csrf: &str) -> Result<Vec<String>, Failure> {
    upload_pages_as(pages, csrf, crate::session::acting_now().as_deref()).await
}

/// `upload_pages` as `principal`'s uploads (`None`: the resident's own,
/// whoever they are acting for).
pub async fn upload_pages_as(
    pages: &[Page],
    csrf: &str,
    principal: Option<&str>,
) -> Result<Vec<String>, Failure> {
    let mut ids = Vec::new();
    for p in pages {
        let blob = store::load_page(&p.id)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| {
                Failure::local(
                    "page_missing",
                    Text::new(
                        "有一张照片在这部手机上找不到了，请重新拍一张。",
                        "A photo can no longer be found on this phone; take it again.",
                    ),
                )
            })?;
        let name = if p.content_type == "application/pdf" {
            "page.pdf"
        } else {
            "page.jpg"
        };
        ids.push(
            api::upload_for(&blob, name, &p.id, csrf, principal)
                .await?
                .id,
        );
    }
    Ok(ids)
}

#[component]
pub fn Correction() -> impl IntoView {
    let ids = item_params();
    let loaded = LocalResource::new(move || {
        let (app, item) = ids();
        load_item(app, item)
    });
    view! {
        <PageFrame>
            {move || Suspend::new(async move {
                let (a, i, b) = loaded.await?;
                Ok::<_, Failure>(view! { <CorrectionBody app=a item=i bundle=b/> })
            })}
        </PageFrame>
    }
}

#[component]
fn CorrectionBody(
    app: ApplicationView,
    item: ItemView,
    bundle: &'static EventBundle,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let points = item.corrections.clone();
    let item_fields: Vec<&'static Field> = bundle
        .event
        .fields
        .iter()
        .filter(|f| f.items.contains(&item.item_id))
        .collect();
    let targeted: Vec<String> = points
        .iter()
        .filter_map(|p| p.target.strip_prefix("field:").map(str::to_owned))
        .collect();
    let materials: Vec<String> = points
        .iter()
        .filter_map(|p| p.target.strip_prefix("material:").map(str::to_owned))
        .collect();
    // The fields to show: those named, or every field of the item when the
    // department named none in particular.
    let shown: Vec<&'static Field> = if targeted.is_empty() && materials.is_empty() {
        item_fields.clone()
    } else {
        item_fields
            .iter()
            .copied()
            .filter(|f| targeted.contains(&f.key))
            .collect()
    };
    let values: RwSignal<FieldValues> = RwSignal::new(app.fields.clone());
    let pages: RwSignal<BTreeMap<String, Vec<Page>>> = RwSignal::new(BTreeMap::new());
    let errors: RwSignal<Vec<FieldError>> = RwSignal::new(Vec::new());
    let failure: RwSignal<Option<Failure>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let material_name = move |id: &str| {
        bundle
            .event
            .item(&item.item_id)
            .and_then(|i| i.materials.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_else(|| Text::new(id, id))
    };
    let target_name = {
        let material_name = material_name.clone();
        move |target: &str| -> Text {
            if let Some(k) = target.strip_prefix("field:") {
                bundle
                    .event
                    .field(k)
                    .map(|f| f.label.clone())
                    .unwrap_or_else(|| Text::new(k, k))
            } else if let Some(m) = target.strip_prefix("material:") {
                material_name(m)
            } else {
                Text::new(target, target)
            }
        }
    };
    let submit = {
        let (app_id, row) = (app.id.clone(), item.id.clone());
        let item_fields = item_fields.clone();
        let materials = materials.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let vals = values.get_untracked();
            let mut errs = match validate_form(&item_fields, &vals, time::today()) {
                Ok(_) => Vec::new(),
                Err(e) => e,
            };
            for m in &materials {
                if pages.with_untracked(|p| p.get(m).is_none_or(Vec::is_empty)) {
                    errs.push(FieldError {
                        field: format!("materials.{m}"),
                        message: Text::new("请拍一张新的照片", "Take a new photo"),
                    });
                }
            }
            if !errs.is_empty() {
                errors.set(errs);
                return;
            }
            errors.set(Vec::new());
            let csrf = session.csrf().unwrap_or_default();
            let (app_id, row) = (app_id.clone(), row.clone());
            // Only this item's fields go back; the edge refuses any other.
            let fields: FieldValues = item_fields
                .iter()
                .filter_map(|f| vals.get(&f.key).map(|v| (f.key.clone(), v.clone())))
                .collect();
            let all_pages = pages.get_untracked();
            let navigate = navigate.clone();
            pending.set(true);
            leptos::task::spawn_local(async move {
                let mut provisions = BTreeMap::new();
                let mut outcome = Ok(());
                for (m, ps) in &all_pages {
                    match upload_pages(ps, &csrf).await {
                        Ok(ids) => {
                            provisions.insert(m.clone(), Provision::Upload { attachments: ids });
                        }
                        Err(f) => {
                            outcome = Err(f);
                            break;
                        }
                    }
                }
                let result = match outcome {
                    Ok(()) => {
                        api::resubmit(
                            &app_id,
                            &row,
                            &ResubmitItem {
                                fields,
                                materials: provisions,
                            },
                            &csrf,
                        )
                        .await
                    }
                    Err(f) => Err(f),
                };
                pending.set(false);
                match result {
                    Ok(_) => {
                        for p in all_pages.values().flatten() {
                            let _ = store::delete_page(&p.id).await;
                        }
                        navigate(&format!("/applications/{app_id}"), Default::default());
                    }
                    Err(f) => {
                        errors.set(f.error.error.fields.clone());
                        failure.set(Some(f));
                    }
                }
            });
        }
    };
    let name = item.name.clone();
    view! {
        <BackLink href=format!("/applications/{}", app.id)/>
        {move || {
            let e = errors.get();
            (!e.is_empty()).then(|| view! { <ErrorSummary title=Text::new("有几处需要修改", "Some answers need changing") errors=e/> })
        }}
        {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        <div class="speak">
            <Heading>{t!(i18n, correction_title)}</Heading>
            <p class="lead">{move || tr(&name)}</p>
            <ul class="corrections">
                {points.iter().map(|p| {
                    let what = target_name(&p.target);
                    let (why, fix) = (p.reason.clone(), p.fix.clone());
                    view! {
                        <li>
                            <b>{move || tr(&what)}</b>
                            <p>{t!(i18n, correction_why)}{move || tr(&why)}</p>
                            <p>{t!(i18n, correction_how)}{move || tr(&fix)}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
        <form class="correction" on:submit=submit novalidate>
            {shown.into_iter().map(|f| {
                let (k1, k2, k3) = (f.key.clone(), f.key.clone(), f.key.clone());
                view! {
                    <FieldInput field=f
                        value=Signal::derive(move || values.with(|v| v.get(&k1).cloned().unwrap_or_default()))
                        on_input=Callback::new(move |v: String| values.update(|x| { x.insert(k2.clone(), v); }))
                        error=Signal::derive(move || errors.with(|e| e.iter().find(|x| x.field == k3).map(|x| x.message.clone())))/>
                }
            }).collect_view()}
            {materials.into_iter().map(|m| {
                let title = material_name(&m);
                let (m1, m2, m3) = (m.clone(), m.clone(), m.clone());
                view! {
                    <div class="field">
                        <p class="label">{move || tr(&title)}</p>
                        <Photos
                            pages=Signal::derive(move || pages.with(|p| p.get(&m1).cloned().unwrap_or_default()))
                            on_add=Callback::new(move |page: Page| pages.update(|p| p.entry(m2.clone()).or_default().push(page)))
                            on_remove=Callback::new(move |id: String| pages.update(|p| { if let Some(v) = p.get_mut(&m3) { v.retain(|x| x.id != id); } }))
                            id=anchor(&format!("materials.{m}"))/>
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="button primary" disabled=move || pending.get()>{t!(i18n, resubmit_item)}</button>
        </form>
    }
}
