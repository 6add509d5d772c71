//! `/inbox` (消息): every message about the resident's applications, newest
//! first, unread ones marked; opening the page marks them read. Each says
//! whether its text message reached the phone.

use banshi_core::api::SmsDelivery;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, Failure};
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::i18n::{t, use_i18n};
use crate::lang::{datetime, tr};
use crate::session::use_session;

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let inbox = LocalResource::new(move || {
        session.signed_in();
        api::inbox()
    });
    view! {
        <Heading>{t!(i18n, inbox_title)}</Heading>
        <Page>
            {move || Suspend::new(async move {
                let b = inbox.await?;
                // Seen now: mark read up to the newest shown.
                if let (Some(top), Some(csrf)) = (b.messages.iter().map(|m| m.seq).max(), session.csrf()) {
                    if b.unread > 0 {
                        leptos::task::spawn_local(async move {
                            let _ = api::inbox_seen(top, &csrf).await;
                        });
                    }
                }
                Ok::<_, Failure>(if b.messages.is_empty() {
                    view! { <p>{t!(i18n, inbox_empty)}</p> }.into_any()
                } else {
                    view! {
                        <p class="hint">{t!(i18n, inbox_unread, count = b.unread)}</p>
                        <ul class="inbox">
                            {b.messages.into_iter().map(|m| {
                                let (title, body, event, item) = (m.title.clone(), m.body.clone(), m.event_name.clone(), m.item_name.clone());
                                let sms = m.sms.map(|s| match s {
                                    SmsDelivery::Pending => t!(i18n, sms_pending).into_any(),
                                    SmsDelivery::Sent => t!(i18n, sms_sent).into_any(),
                                    SmsDelivery::Delivered => t!(i18n, sms_delivered).into_any(),
                                    SmsDelivery::Failed => t!(i18n, sms_failed).into_any(),
                                });
                                view! {
                                    <li class="message" class:unread=m.unread>
                                        {m.unread.then(|| view! { <span class="tag">{t!(i18n, unread)}</span> })}
                                        <A href=format!("/applications/{}", m.application_id)>
                                            <b>{move || tr(&title)}</b>
                                        </A>
                                        <span class="when">{move || datetime(m.at)}</span>
                                        <span class="about">{move || tr(&event)}" · "{move || tr(&item)}</span>
                                        <p>{move || tr(&body)}</p>
                                        {sms.map(|s| view! { <span class="sms">{s}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Page>
    }
}
