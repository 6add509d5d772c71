//! Hooks in leptos-use's shape (`use_x_with_options` → `UseXReturn`), one per file.

pub mod use_service_worker;
