//! `/applications/:app/submitted`: the confirmation page (GOV.UK). The
//! reference a person can read to the 12345 hotline and type again, and
//! what happens next, item by item: which department, and by when it is
//! expected (an estimate until the department accepts and the clock starts).

use std::collections::BTreeMap;

use banshi_core::api::ApplicationView;
use banshi_core::calendar::Due;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::{self, Failure};
use crate::components::heading::Heading;
use crate::components::page::Page;
use crate::i18n::{t, use_i18n};
use crate::lang::{date, tr};

#[derive(Params, PartialEq, Clone, Debug)]
pub struct AppParams {
    pub app: Option<String>,
}

/// The application id from the route.
pub fn app_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params::<AppParams>();
    move || {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.app.clone())
                .unwrap_or_default()
        })
    }
}

/// Expected decision dates: one working day to accept, then the limit,
/// from the day it was submitted. One request per distinct limit.
async fn expected(app: &ApplicationView) -> BTreeMap<u32, Due> {
    let from = banshi_core::message::china_time(app.submitted_at).date_naive();
    let mut out = BTreeMap::new();
    for n in app.items.iter().filter_map(|i| i.time_limit_working_days) {
        if let std::collections::btree_map::Entry::Vacant(e) = out.entry(n) {
            if let Ok(d) = api::due(from, n + 1).await {
                e.insert(Due {
                    estimated: true,
                    ..d
                });
            }
        }
    }
    out
}

#[component]
pub fn Confirmation() -> impl IntoView {
    let i18n = use_i18n();
    let id = app_id();
    let app = LocalResource::new(move || {
        let id = id();
        async move {
            let a = api::application(&id).await?;
            let e = expected(&a).await;
            Ok::<_, Failure>((a, e))
        }
    });
    view! {
        <Page>
            {move || Suspend::new(async move {
                let (a, expected) = app.await?;
                let reference = a.reference.to_string();
                let spoken = reference.chars().filter(|c| *c != '-').map(String::from).collect::<Vec<_>>().join(" ");
                let event_name = a.event_name.clone();
                Ok::<_, Failure>(view! {
                    <div class="panel confirmation speak">
                        <Heading>{t!(i18n, confirmation_title)}</Heading>
                        <p>{move || tr(&event_name)}</p>
                        <p class="reference-label">{t!(i18n, your_reference)}</p>
                        <p class="reference" translate="no" aria-label=spoken>{reference}</p>
                    </div>
                    <p>{t!(i18n, reference_hint)}</p>
                    <h2>{t!(i18n, what_next)}</h2>
                    <ol class="next-steps">
                        {a.items.iter().map(|item| {
                            let name = item.name.clone();
                            let dept = item.department.clone();
                            let when = match item.time_limit_working_days {
                                Some(0) => t!(i18n, next_on_the_spot).into_any(),
                                Some(n) => match expected.get(&n) {
                                    Some(d) => {
                                        let d = d.due;
                                        t!(i18n, next_expected, n, date = move || date(d)).into_any()
                                    }
                                    None => t!(i18n, limit_within, n).into_any(),
                                },
                                None => t!(i18n, limit_local).into_any(),
                            };
                            view! {
                                <li>
                                    <span class="item-name">{move || tr(&name)}</span>
                                    <span class="dept">{t!(i18n, next_sent_to)}{move || tr(&dept)}</span>
                                    <span class="limit">{when}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <p class="hint">{t!(i18n, next_texts)}</p>
                    <A href=format!("/applications/{}", a.id) attr:class="button primary">{t!(i18n, follow_progress)}</A>
                    <A href="/" attr:class="button secondary">{t!(i18n, go_home)}</A>
                })
            })}
        </Page>
    }
}
