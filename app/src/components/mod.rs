//! Reusable widgets.

pub mod bi;
pub mod error;
pub mod header;
