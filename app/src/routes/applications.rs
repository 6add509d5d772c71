//! `/applications` (我的办件): everything submitted, newest first, each
//! with its reference and overall status; and above them what is still
//! waiting on this phone to be sent (待发送).

use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::drafts;
use crate::i18n::{t, use_i18n};
use crate::outbox::use_outbox;
use crate::routes::home::{ApplicationLink, DraftLink};
use crate::session::use_session;

#[component]
pub fn Applications() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let events = use_outbox();
    let list = LocalResource::new(move || {
        session.signed_in();
        events.version.track();
        api::applications()
    });
    let waiting = LocalResource::new(move || {
        let viewer = session.viewer();
        events.version.track();
        async move {
            drafts::visible(&viewer)
                .await
                .into_iter()
                .filter(|d| d.outbox.is_some())
                .collect::<Vec<_>>()
        }
    });
    view! {
        <Heading>{t!(i18n, my_applications)}</Heading>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let w = waiting.await;
                (!w.is_empty()).then(|| view! {
                    <h2>{t!(i18n, outbox_title)}</h2>
                    <p class="hint">{t!(i18n, outbox_explain)}</p>
                    <ul class="drafts">{w.into_iter().map(|d| view! { <DraftLink draft=d/> }).collect_view()}</ul>
                })
            })}
        </Transition>
        <Page>
            {move || Suspend::new(async move {
                let l = list.await?;
                Ok::<_, Failure>(if l.applications.is_empty() {
                    view! { <p>{t!(i18n, no_applications)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="applications">
                            {l.applications.into_iter().map(|a| view! { <ApplicationLink app=a/> }).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Page>
    }
}
