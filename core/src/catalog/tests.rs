use super::*;

#[test]
fn the_embedded_catalog_passes_the_lint() {
    let catalog = Catalog::embedded();
    let errors = lint(catalog.data());
    assert!(
        errors.is_empty(),
        "catalog lint found {} problem(s):\n{}",
        errors.len(),
        errors
            .iter()
            .map(|e| format!("  - {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_walking_skeleton_event_is_present() {
    let event = Catalog::embedded()
        .event("social-security-card")
        .expect("社会保障卡居民服务 is in the catalog");
    let item = event.item("ssc-apply").expect("社会保障卡申领");
    assert_eq!(item.department, "hrss");
    assert!(event.field("applicant.phone").is_some());
}

#[test]
fn the_version_is_stable_for_the_same_data() {
    let a = Catalog::embedded().version().to_owned();
    assert_eq!(a.len(), 16);
    assert_eq!(a, Catalog::embedded().version());
}
