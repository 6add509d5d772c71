//! The catalog as the app sees it: fetched from the edge (`/api/events`,
//! `/api/events/{id}`, both with ETags; the service worker keeps copies for
//! offline use), never compiled in. An event is fetched once per page load
//! and then kept for the rest of it, so walking a journey costs no requests.

use std::cell::RefCell;
use std::collections::HashMap;

use banshi_core::api::{EventBundle, EventList};
use banshi_core::catalog::{Department, ECertType, Section, Text};

use crate::api::{self, ApiResult};

thread_local! {
    static BUNDLES: RefCell<HashMap<String, &'static EventBundle>> = RefCell::new(HashMap::new());
    static LIST: RefCell<Option<&'static EventList>> = const { RefCell::new(None) };
}

/// One event with its departments, e-certificate types and form sections.
/// Leaked on purpose: a handful per page load, and pages can then borrow
/// from it for as long as they live (the guide's outcome borrows the event).
pub async fn bundle(id: &str) -> ApiResult<&'static EventBundle> {
    if let Some(b) = BUNDLES.with(|m| m.borrow().get(id).copied()) {
        return Ok(b);
    }
    let b: &'static EventBundle = Box::leak(Box::new(api::event_bundle(id).await?));
    BUNDLES.with(|m| m.borrow_mut().insert(id.to_owned(), b));
    Ok(b)
}

pub async fn list() -> ApiResult<&'static EventList> {
    if let Some(l) = LIST.with(|l| *l.borrow()) {
        return Ok(l);
    }
    let l: &'static EventList = Box::leak(Box::new(api::events().await?));
    LIST.with(|c| *c.borrow_mut() = Some(l));
    Ok(l)
}

/// An event's name for a list of drafts: from the event list (one request
/// for every row, often already loaded by the home page), else from the
/// event's own bundle, so one failed request does not leave a row unnamed.
pub async fn event_name(id: &str) -> Option<Text> {
    if let Ok(l) = list().await {
        if let Some(e) = l.events.iter().find(|e| e.id == id) {
            return Some(e.name.clone());
        }
    }
    bundle(id).await.ok().map(|b| b.event.name.clone())
}

/// Lookups on a bundle, named after the catalog's own.
pub trait BundleExt {
    fn department(&self, id: &str) -> Option<&Department>;
    fn ecert(&self, id: &str) -> Option<&ECertType>;
    fn section(&self, subject: &str) -> Option<&Section>;
    /// A department's name, or its id if the bundle lacks it.
    fn department_name(&self, id: &str) -> Text {
        self.department(id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| Text::new(id, id))
    }
}

impl BundleExt for EventBundle {
    fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    fn ecert(&self, id: &str) -> Option<&ECertType> {
        self.ecerts.iter().find(|c| c.id == id)
    }

    fn section(&self, subject: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.subject == subject)
    }
}
