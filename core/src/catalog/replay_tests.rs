//! An application stored under an older catalog version stays readable: the
//! edge keeps each item's id, department and status, and reads them back
//! through `Event::item_as_recorded` after the rules have changed.

use chrono::{TimeZone, Utc};

use super::{Catalog, Item};
use crate::message::{render, MessageContext};
use crate::status::{overall, ItemStatus};

/// A 新生儿出生 application as stored before catalog 2026.12.1: nine item
/// rows (item id, department as relayed, status), one of them 生育津贴申领 and
/// the vaccination certificate still relayed to the CDC.
const STORED: [(&str, &str, &str); 9] = [
    ("birth-registration", "health", "approved"),
    ("birth-cert", "maternity-hospital", "delivered"),
    ("vaccination-cert", "cdc", "delivered"),
    ("hukou", "police", "delivered"),
    ("resident-insurance", "medical-security", "approved"),
    ("insurance-premium", "tax", "approved"),
    ("ssc-apply", "hrss", "delivered"),
    ("maternity-allowance", "medical-security", "accepted"),
    ("parenting-guidance", "health", "approved"),
];

#[test]
fn a_newborn_application_stored_before_the_ninth_item_was_corrected_reads_back_whole() {
    let catalog = Catalog::embedded();
    let event = catalog.event("newborn").unwrap();
    let items: Vec<(&Item, ItemStatus)> = STORED
        .iter()
        .map(|(id, _, status)| {
            let item = event
                .item_as_recorded(id)
                .unwrap_or_else(|| panic!("{id} must resolve for a stored application"));
            (item, ItemStatus::parse(status).unwrap())
        })
        .collect();
    assert_eq!(items.len(), 9);

    // The retired item reads as it was, under its own name…
    let allowance = event.item_as_recorded("maternity-allowance").unwrap();
    assert_eq!(allowance.name.zh, "生育津贴申领");
    assert_eq!(allowance.time_limit_working_days, Some(20));
    // …while no new application can choose it.
    assert!(event.item("maternity-allowance").is_none());

    // The event's progress counts every stored item, the retired one too.
    let o = overall(items.iter().map(|(i, s)| (*i, *s)));
    assert_eq!(o.total, 9);
    assert_eq!(
        o.finished, 8,
        "only the accepted 生育津贴申领 is still open"
    );

    // Its department can still move it, and the timeline entry renders.
    let dept = catalog.department("medical-security").unwrap();
    let (title, body) = render(
        catalog.messages(),
        ItemStatus::Approved,
        &MessageContext {
            item: allowance,
            department: &dept.name,
            at: Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap(),
            due: None,
            corrections: &[],
            reason: None,
            fields: &[],
        },
    )
    .expect("an approved template exists");
    assert!(!title.zh.is_empty() && !body.zh.is_empty());
}

#[test]
fn a_stored_item_keeps_the_department_it_was_relayed_to() {
    // The vaccination certificate now comes from the hospital of birth; an
    // application relayed to the CDC before that still names the CDC, which
    // the catalog still knows.
    let catalog = Catalog::embedded();
    let (_, department, _) = STORED
        .iter()
        .find(|(id, _, _)| *id == "vaccination-cert")
        .unwrap();
    assert!(catalog.department(department).is_some());
    let now = catalog
        .event("newborn")
        .unwrap()
        .item("vaccination-cert")
        .unwrap();
    assert_eq!(now.department, "maternity-hospital");
}

#[test]
fn every_retired_item_is_recorded_with_its_version_and_replacement() {
    for event in Catalog::embedded().events() {
        for r in &event.retired_items {
            assert!(event.item_as_recorded(&r.item.id).is_some());
            if let Some(new) = &r.replaced_by {
                assert!(event.item(new).is_some(), "{}: {new}", event.id);
            }
        }
    }
}
