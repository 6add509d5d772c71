//! One module per page, named after the page.

pub mod applications;
pub mod event;
pub mod home;
pub mod not_found;
pub mod tracking;
