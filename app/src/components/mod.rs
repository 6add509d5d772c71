//! Reusable widgets, one idea each.

pub mod acting;
pub mod back;
pub mod dropped;
pub mod error;
pub mod field;
pub mod follow;
pub mod header;
pub mod heading;
pub mod live;
pub mod locality;
pub mod offers;
pub mod page;
pub mod photos;
pub mod read_aloud;
pub mod status;
pub mod terms;
pub mod update;
