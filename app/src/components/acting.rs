//! While the resident acts for someone (家人代办), a banner on every page
//! that never goes away names them — "正在为 母亲 王秀英 办理" — with a
//! switch back to one's own. Whether they may is the edge's (core's) to say.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::{t, use_i18n};
use crate::session::use_session;

#[component]
pub fn ActingBanner() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    move || {
        session.acting().map(|_| {
            let navigate = navigate.clone();
            let back = move |_| {
                session.act_for(None);
                navigate("/", Default::default());
            };
            view! {
                <div class="acting-banner" role="region" aria-label=move || crate::i18n::t_string!(i18n, acting_region)>
                    <p class="acting-name">{move || match session.acting_for() {
                        Some(p) => crate::lang::tr_names(&p.banner),
                        None => crate::i18n::t_string!(i18n, acting_someone).into_any(),
                    }}</p>
                    <button type="button" class="button small secondary" on:click=back>{t!(i18n, acting_switch_back)}</button>
                </div>
            }
        })
    }
}
