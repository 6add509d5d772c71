//! Who is signed in, shared through context. The edge holds the session in
//! an HttpOnly cookie; the app sees only the masked view, an opaque owner id
//! and the CSRF token. The owner id is remembered on the device (without
//! anything personal) so that, offline, drafts still open for their owner
//! and for nobody else; signing out forgets it.

use banshi_core::api::SessionView;
use banshi_core::draft::Owner;
use leptos::prelude::*;

const KEY: &str = "banshi.owner";
/// Whom the resident acts for now (家人代办): the principal's owner id.
const ACTING_KEY: &str = "banshi.acting";

#[derive(Clone, Copy)]
pub struct Session {
    view: RwSignal<Option<SessionView>>,
    /// The owner id last seen signed in on this device; `None` signed out.
    owner: RwSignal<Option<String>>,
    /// The first answer from the edge (or an offline failure) has arrived.
    pub loaded: RwSignal<bool>,
    /// The principal's owner id while acting for someone (家人代办).
    acting: RwSignal<Option<String>>,
}

/// The principal the app acts for now, as every request to the edge says
/// it (`X-Acting-For`); `None` for the resident's own.
pub fn acting_now() -> Option<String> {
    storage().and_then(|s| s.get_item(ACTING_KEY).ok().flatten())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remember(owner: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match owner {
            Some(o) => s.set_item(KEY, o),
            None => s.remove_item(KEY),
        };
    }
}

pub fn provide() {
    let remembered = storage().and_then(|s| s.get_item(KEY).ok().flatten());
    let session = Session {
        view: RwSignal::new(None),
        owner: RwSignal::new(remembered),
        loaded: RwSignal::new(false),
        acting: RwSignal::new(acting_now()),
    };
    provide_context(session);
    session.refetch();
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    pub fn get(&self) -> Option<SessionView> {
        self.view.get()
    }

    pub fn signed_in(&self) -> bool {
        self.owner.with(Option::is_some)
    }

    /// Whose drafts this device shows now: the resident's own, or, while
    /// they act for someone, that person's (kept apart per principal).
    pub fn viewer(&self) -> Owner {
        match self.owner.get() {
            Some(o) => Owner {
                resident: Some(o),
                principal: self.acting.get(),
            },
            None => Owner::anonymous(),
        }
    }

    pub fn viewer_untracked(&self) -> Owner {
        match self.owner.get_untracked() {
            Some(o) => Owner {
                resident: Some(o),
                principal: self.acting.get_untracked(),
            },
            None => Owner::anonymous(),
        }
    }

    /// The principal's owner id while acting for someone.
    pub fn acting(&self) -> Option<String> {
        self.acting.get()
    }

    /// The person acted for, as the edge last described them (`None` when
    /// acting for no one, or for someone the edge no longer lists).
    pub fn acting_for(&self) -> Option<banshi_core::api::PrincipalView> {
        let owner = self.acting.get()?;
        self.view.with(|v| {
            v.as_ref()
                .and_then(|v| v.resident.as_ref())
                .and_then(|r| r.may_act_for.iter().find(|p| p.owner == owner).cloned())
        })
    }

    /// Act for `principal` from now on (`None`: back to one's own).
    pub fn act_for(&self, principal: Option<String>) {
        if let Some(s) = storage() {
            let _ = match &principal {
                Some(p) => s.set_item(ACTING_KEY, p),
                None => s.remove_item(ACTING_KEY),
            };
        }
        self.acting.set(principal);
    }

    pub fn csrf(&self) -> Option<String> {
        self.view
            .with_untracked(|v| v.as_ref().and_then(|v| v.csrf_token.clone()))
    }

    /// The CSRF token, asking the edge for it if this page load has none yet
    /// (it opened offline, so only the remembered owner is known). `None`
    /// while the edge cannot be reached; the outbox tries again later.
    pub async fn csrf_now(&self) -> Option<String> {
        if let Some(t) = self.csrf() {
            return Some(t);
        }
        let v = crate::api::session().await.ok()?;
        let owner = v.resident.as_ref().map(|r| r.owner.clone());
        remember(owner.as_deref());
        self.owner.set(owner);
        let token = v.csrf_token.clone();
        self.view.set(Some(v));
        self.loaded.set(true);
        token
    }

    /// Ask the edge again. Offline, what the device remembers stands.
    pub fn refetch(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            if let Ok(v) = crate::api::session().await {
                let owner = v.resident.as_ref().map(|r| r.owner.clone());
                remember(owner.as_deref());
                this.owner.set(owner);
                this.view.set(Some(v));
            }
            this.loaded.set(true);
        });
    }

    /// Signed out: forget who it was, at once, before the edge answers.
    pub fn forget(&self) {
        remember(None);
        self.act_for(None);
        self.owner.set(None);
        self.view.set(None);
    }
}
