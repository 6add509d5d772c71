//! HTTP handlers, one file per resource. Each parses the request, calls core,
//! persists through `store`, and answers JSON.

pub mod applications;
pub mod attachments;
pub mod auth;
pub mod calendar;
pub mod catalog;
pub mod delegations;
pub mod departments;
pub mod inbox;
pub mod me;
pub mod offers;
pub mod ops;
pub mod webhooks;
