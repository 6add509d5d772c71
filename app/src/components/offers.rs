//! 免申即享 on the home page: benefits the signed-in resident may be owed,
//! each with the facts it rests on. One tap opens the event as a new draft
//! with everything known already filled in, so the resident checks and
//! submits rather than applies; 不再提示 dismisses an offer for good (kept
//! by the edge). Nothing shows signed out, while acting for someone, or with
//! offers turned off.

use banshi_core::draft::Prefill;
use banshi_core::offer::Offer;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::{t, use_i18n};
use crate::lang::tr;
use crate::session::use_session;
use crate::{api, drafts, store};

#[component]
pub fn Offers() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Bumped after a dismissal: the edge's list is the truth.
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let signed_in = session.signed_in();
        // Offers are the signed-in resident's own: none under a principal's banner.
        let acting = session.acting().is_some();
        version.track();
        async move {
            if !signed_in || acting {
                return None;
            }
            api::offers().await.ok()
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(list) = list.await else { return ().into_any() };
                if list.offers.is_empty() {
                    return ().into_any();
                }
                view! {
                    <section class="offers" aria-labelledby="offers-title">
                        <h2 id="offers-title">{t!(i18n, offers_title)}</h2>
                        <p class="help">{t!(i18n, offers_note)}</p>
                        <ul class="offer-list">
                            {list.offers.into_iter().map(|o| view! { <OfferCard offer=o version=version/> }).collect_view()}
                        </ul>
                        {list.incomplete.then(|| view! { <p class="help">{t!(i18n, offers_incomplete)}</p> })}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn OfferCard(offer: Offer, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let headline_id = format!("offer-{}", offer.id.replace(':', "-"));
    let headline = offer.headline.clone();
    let based_on = offer.based_on.clone();
    let id = offer.id.clone();
    let open = move |_| {
        let offer = offer.clone();
        let navigate = navigate.clone();
        let owner = session.viewer_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let made = async {
                let mut d = drafts::create(&offer.event_id, owner).await?;
                d.answers.extend(offer.prefill.answers);
                for (k, v) in &offer.prefill.fields {
                    d.prefill(k, v, Prefill::Offer);
                }
                store::save_draft(&d).await?;
                Ok::<_, store::StoreError>(d)
            };
            match made.await {
                Ok(d) => navigate(&format!("/drafts/{}", d.id), Default::default()),
                Err(_) => {
                    busy.set(false);
                    failed.set(true);
                }
            }
        });
    };
    let dismiss = move |_| {
        let id = id.clone();
        let Some(csrf) = session.csrf() else {
            failed.set(true);
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::dismiss_offer(&id, &csrf).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    view! {
        <li class="offer">
            <p class="offer-headline" id=headline_id.clone()>{move || tr(&headline)}</p>
            <div class="offer-basis">
                <span class="label">{t!(i18n, offers_based_on)}</span>
                <ul>
                    {based_on.into_iter().map(|b| view! { <li>{move || tr(&b)}</li> }).collect_view()}
                </ul>
            </div>
            <div class="actions">
                <button type="button" class="button primary" aria-describedby=headline_id.clone()
                    disabled=move || busy.get() on:click=open>
                    {t!(i18n, offers_open)}
                </button>
                <button type="button" class="button secondary" aria-describedby=headline_id
                    disabled=move || busy.get() on:click=dismiss>
                    {t!(i18n, offers_dismiss)}
                </button>
            </div>
            {move || failed.get().then(|| view! {
                <p class="notice error" role="alert">{t!(i18n, offers_failed)}</p>
            })}
        </li>
    }
}
