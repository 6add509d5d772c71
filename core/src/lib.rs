//! Banshi's domain: every rule of the product, with no I/O. The app (in the
//! browser) and the edge (on workerd) are thin shells over this crate; the
//! sandbox uses it to speak the same platform protocol.
//!
//! Nothing here depends on leptos, worker, web-sys or tokio, and nothing reads
//! a clock: callers pass "now" and "today" in.

pub mod actions;
pub mod adapter;
pub mod api;
pub mod application;
pub mod attachment;
pub mod calendar;
pub mod catalog;
pub mod delegation;
pub mod digest;
pub mod draft;
pub mod guide;
pub mod hex;
pub mod journey;
pub mod mask;
pub mod message;
pub mod offer;
pub mod pkce;
pub mod platform;
pub mod rating;
pub mod reference;
pub mod relay;
pub mod return_to;
pub mod search;
pub mod settings;
pub mod signature;
pub mod sla;
pub mod status;
pub mod tracking;
pub mod validate;

pub use catalog::{Catalog, Text};
