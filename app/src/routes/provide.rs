//! `/applications/:app/items/:item/materials/:material`: a material that
//! was allowed to follow later (容缺受理), provided now: photos taken and
//! kept on the phone, then sent to the edge, which passes them on to the
//! department of that item.

use banshi_core::api::{ApplicationView, ItemView};
use banshi_core::draft::Page;
use banshi_core::Text;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;

use crate::api::{self, Failure};
use crate::components::back::BackLink;
use crate::components::error::{anchor, FailureNotice};
use crate::components::heading::Heading;
use crate::components::page::Page as PageFrame;
use crate::components::photos::Photos;
use crate::i18n::{t, use_i18n};
use crate::lang::{date, tr};
use crate::routes::correction::{load_item, upload_pages};
use crate::session::use_session;
use crate::store;

#[derive(Params, PartialEq, Clone, Debug)]
pub struct ProvideParams {
    app: Option<String>,
    item: Option<String>,
    material: Option<String>,
}

#[component]
pub fn ProvideLater() -> impl IntoView {
    let params = use_params::<ProvideParams>();
    let get = move || {
        params.with(|p| {
            let p = p.as_ref().ok();
            (
                p.and_then(|p| p.app.clone()).unwrap_or_default(),
                p.and_then(|p| p.item.clone()).unwrap_or_default(),
                p.and_then(|p| p.material.clone()).unwrap_or_default(),
            )
        })
    };
    let loaded = LocalResource::new(move || {
        let (app, item, _) = get();
        load_item(app, item)
    });
    view! {
        <PageFrame>
            {move || Suspend::new(async move {
                let (a, i, _) = loaded.await?;
                let material = get().2;
                Ok::<_, Failure>(view! { <ProvideBody app=a item=i material=material/> })
            })}
        </PageFrame>
    }
}

#[component]
fn ProvideBody(app: ApplicationView, item: ItemView, material: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let view_of = item
        .materials
        .iter()
        .find(|m| m.material_id == material)
        .cloned();
    let Some(m) = view_of else {
        return view! { <p class="notice error">{t!(i18n, not_found_body)}</p> }.into_any();
    };
    let pages: RwSignal<Vec<Page>> = RwSignal::new(Vec::new());
    let failure: RwSignal<Option<Failure>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let send = {
        let (app_id, row, material) = (app.id.clone(), item.id.clone(), material.clone());
        move |_| {
            let ps = pages.get_untracked();
            if ps.is_empty() {
                failure.set(Some(Failure::local(
                    "no_pages",
                    Text::new("请先拍照", "Take a photo first"),
                )));
                return;
            }
            let csrf = session.csrf().unwrap_or_default();
            let (app_id, row, material) = (app_id.clone(), row.clone(), material.clone());
            let navigate = navigate.clone();
            pending.set(true);
            leptos::task::spawn_local(async move {
                let r = match upload_pages(&ps, &csrf).await {
                    Ok(ids) => api::provide_material(&app_id, &row, &material, &ids, &csrf).await,
                    Err(f) => Err(f),
                };
                pending.set(false);
                match r {
                    Ok(_) => {
                        for p in &ps {
                            let _ = store::delete_page(&p.id).await;
                        }
                        navigate(&format!("/applications/{app_id}"), Default::default());
                    }
                    Err(f) => failure.set(Some(f)),
                }
            });
        }
    };
    let name = m.name.clone();
    let due = m.due.map(|d| d.due);
    view! {
        <BackLink href=format!("/applications/{}", app.id)/>
        <Heading>{move || tr(&name)}</Heading>
        <p class="lead">{move || tr(&item.name)}</p>
        {due.map(|d| view! { <p>{t!(i18n, to_follow_by, date = move || date(d))}</p> })}
        {move || failure.get().map(|f| view! { <FailureNotice failure=f/> })}
        <Photos pages=pages
            on_add=Callback::new(move |p: Page| pages.update(|v| v.push(p)))
            on_remove=Callback::new(move |id: String| pages.update(|v| v.retain(|p| p.id != id)))
            id=anchor(&format!("materials.{material}"))/>
        <button type="button" class="button primary" disabled=move || pending.get() on:click=send>{t!(i18n, send_material)}</button>
    }
    .into_any()
}
