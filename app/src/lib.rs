//! Banshi's resident app: the shell and the route table. Pages live in
//! `routes/`, widgets in `components/`, every call to the edge in `api`.
//! Every rule (guide, validation, statuses) comes from banshi-core.

mod api;
mod components;
mod draft;
mod routes;
mod session;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::header::Header;
use routes::{
    applications::Applications, event::EventPage, home::Home, not_found::NotFound,
    tracking::Tracking,
};

#[component]
pub fn App() -> impl IntoView {
    session::provide();
    view! {
        <Router>
            <Header/>
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/events/:id") view=EventPage/>
                    <Route path=path!("/applications") view=Applications/>
                    <Route path=path!("/applications/:id") view=Tracking/>
                </Routes>
            </main>
        </Router>
    }
}
