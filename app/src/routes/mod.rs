//! One module per page, named after it. Step pages of a draft live under
//! `draft`'s shell, which loads the draft and its event once for all of them.

pub mod applications;
pub mod check;
pub mod confirmation;
pub mod correction;
pub mod draft;
pub mod drafts;
pub mod event;
pub mod family;
pub mod family_settings;
pub mod home;
pub mod inbox;
pub mod material;
pub mod materials;
pub mod not_found;
pub mod provide;
pub mod question;
pub mod rating;
pub mod result;
pub mod section;
pub mod settings;
pub mod tracking;
