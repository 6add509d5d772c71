//! Banshi's resident app: the shell and the route table. Pages live in
//! `routes/` (one module per page), widgets in `components/`, every call to
//! the edge in `api`, the phone's own storage in `store`. Every rule (guide,
//! journey, validation, statuses, drafts) comes from banshi-core.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

mod api;
mod catalog;
mod components;
mod drafts;
mod hooks;
mod lang;
mod net;
mod outbox;
mod photo;
mod prefs;
mod routes;
mod search;
mod session;
mod speech;
mod store;
mod time;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use components::header::Header;
use components::live::LiveRegion;
use i18n::I18nContextProvider;
use routes::*;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell/>
        </I18nContextProvider>
    }
}

/// Everything inside the i18n context: preferences, session, the network
/// state and the outbox are provided once here, for every page.
#[component]
fn Shell() -> impl IntoView {
    prefs::provide();
    session::provide();
    components::follow::provide();
    net::provide();
    components::live::provide();
    outbox::start();
    let i18n = i18n::use_i18n();
    view! {
        <Router>
            <a class="skip" href="#main">{i18n::t!(i18n, skip_to_main)}</a>
            <Header/>
            <components::update::UpdatePrompt/>
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=not_found::NotFound>
                    <Route path=path!("/") view=home::Home/>
                    <Route path=path!("/events/:event") view=event::EventPage/>
                    <Route path=path!("/drafts") view=routes::drafts::Drafts/>
                    <ParentRoute path=path!("/drafts/:draft") view=draft::DraftShell>
                        <Route path=path!("") view=draft::Resume/>
                        <Route path=path!("questions/:question") view=question::QuestionPage/>
                        <Route path=path!("result") view=result::ResultPage/>
                        <Route path=path!("materials") view=materials::MaterialsPage/>
                        <Route path=path!("materials/:material") view=material::MaterialPage/>
                        <Route path=path!("form/:section") view=section::SectionPage/>
                        <Route path=path!("check") view=check::CheckPage/>
                    </ParentRoute>
                    <Route path=path!("/applications") view=applications::Applications/>
                    <Route path=path!("/applications/:app") view=tracking::Tracking/>
                    <Route path=path!("/applications/:app/submitted") view=confirmation::Confirmation/>
                    <Route path=path!("/applications/:app/items/:item/correct") view=correction::Correction/>
                    <Route path=path!("/applications/:app/items/:item/materials/:material") view=provide::ProvideLater/>
                    <Route path=path!("/applications/:app/rate") view=rating::RatingPage/>
                    <Route path=path!("/inbox") view=inbox::InboxPage/>
                    <Route path=path!("/settings") view=settings::Settings/>
                    <Route path=path!("/settings/family") view=family_settings::FamilySettings/>
                    <Route path=path!("/family") view=family::Family/>
                </Routes>
            </main>
            <LiveRegion/>
        </Router>
    }
}
