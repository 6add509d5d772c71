//! Who is signed in, shared through context. The edge holds the session in an
//! HttpOnly cookie; the app only ever sees the masked view and the CSRF token.

use banshi_core::api::SessionView;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Session(pub LocalResource<Option<SessionView>>);

pub fn provide() {
    let resource = LocalResource::new(|| async { crate::api::session().await.ok() });
    provide_context(Session(resource));
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// The current view if loaded (`None` while loading or offline).
    pub fn get(&self) -> Option<SessionView> {
        self.0.get().flatten()
    }

    pub fn signed_in(&self) -> bool {
        self.get().is_some_and(|s| s.resident.is_some())
    }

    pub fn refetch(&self) {
        self.0.refetch();
    }
}
