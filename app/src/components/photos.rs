//! Photos (and PDFs) of one material: take a photo with the camera or pick
//! a file, see each page, retake or remove it, add more pages. Each page is
//! compressed in the browser (≤1 MB) and kept on the phone (IndexedDB)
//! before anything else happens, so a dropped network or a closed tab loses
//! no photo; the caller decides when pages go to the edge.

use banshi_core::draft::Page;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{t, use_i18n};
use crate::photo::{self, PhotoError};
use crate::{store, time};

#[component]
pub fn Photos(
    /// The pages so far, in order.
    #[prop(into)]
    pages: Signal<Vec<Page>>,
    /// A page was made and stored on the phone.
    on_add: Callback<Page>,
    /// The resident removed a page (or is retaking it).
    on_remove: Callback<String>,
    /// The element id of the camera button, for error-summary links.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let failed: RwSignal<Option<PhotoError>> = RwSignal::new(None);
    let add = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            for f in files {
                match photo::prepare(&f).await {
                    Ok(blob) => {
                        let page = Page {
                            id: time::random_id(),
                            attachment: None,
                            content_type: blob.type_(),
                            size: blob.size() as u64,
                        };
                        if store::save_page(&page.id, &blob).await.is_ok() {
                            on_add.run(page);
                        }
                    }
                    Err(e) => failed.set(Some(e)),
                }
            }
            busy.set(false);
        });
    };
    let camera_id = id.clone();
    view! {
        <div class="photos">
            <ol class="pages">
                <For each=move || pages.get() key=|p| p.id.clone() let:page>
                    <PagePreview page=page on_remove=on_remove/>
                </For>
            </ol>
            {move || busy.get().then(|| view! { <p class="notice" role="status">{t!(i18n, photo_processing)}</p> })}
            {move || failed.get().map(|e| view! {
                <p class="field-error" role="alert">{match e {
                    PhotoError::Unreadable => t!(i18n, photo_unreadable).into_any(),
                    PhotoError::TooLarge => t!(i18n, photo_too_large).into_any(),
                }}</p>
            })}
            <label class="button secondary file" for=camera_id.clone()>
                {move || if pages.with(Vec::is_empty) { t!(i18n, take_photo).into_any() } else { t!(i18n, take_another).into_any() }}
            </label>
            <input class="sr-only" id=camera_id type="file" accept="image/*" capture="environment" on:change=add/>
            <label class="button secondary file" for=format!("{id}-file")>{t!(i18n, choose_file)}</label>
            <input class="sr-only" id=format!("{id}-file") type="file" accept="image/*,application/pdf" multiple on:change=add/>
        </div>
    }
}

#[component]
fn PagePreview(page: Page, on_remove: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.id.clone();
    let url = LocalResource::new(move || {
        let id = id.clone();
        async move {
            store::load_page(&id)
                .await
                .ok()
                .flatten()
                .and_then(|b| photo::preview_url(&b))
        }
    });
    on_cleanup(move || {
        if let Some(Some(u)) = url.get_untracked() {
            photo::revoke(&u);
        }
    });
    let pdf = page.content_type == "application/pdf";
    let kb = page.size.div_ceil(1000);
    let id = page.id.clone();
    view! {
        <li class="page-preview">
            {move || match (pdf, url.get().flatten()) {
                (false, Some(u)) => view! { <img src=u alt=move || i18n::t_string!(i18n, photo_alt)/> }.into_any(),
                _ => view! { <span class="pdf">"PDF"</span> }.into_any(),
            }}
            <span class="size">{format!("{kb} KB")}</span>
            <button type="button" class="button secondary small" on:click=move |_| on_remove.run(id.clone())>
                {t!(i18n, remove_page)}
            </button>
        </li>
    }
}

use crate::i18n;
