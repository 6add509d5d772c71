//! The tracking view from stored facts, including an application stored
//! under an older catalog version (its items since renamed or removed).

use chrono::TimeZone;

use super::*;
use crate::api::{CorrectionPoint, EntryKind, RelayState};
use crate::catalog::Catalog;

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap()
}

fn old_snapshot() -> Snapshot {
    // Written under an earlier catalog: the item id, its name and its
    // department's name are not what the current catalog says.
    serde_json::from_str(
        r#"{
        "catalog_version": "00000000deadbeef",
        "event_name": {"zh": "旧版的一件事", "en": "An older life event"},
        "items": [
          {"item_id": "old-card", "name": {"zh": "旧卡申领", "en": "Old card"},
           "department": "hrss", "department_name": {"zh": "劳动保障局", "en": "Labour bureau"},
           "time_limit_working_days": 20, "produces_card": true, "delivery": ["post"],
           "fields": ["applicant.phone"],
           "materials": [{"id": "photo", "name": {"zh": "照片", "en": "Photo"}, "defer_working_days": 5},
                         {"id": "id-card", "name": {"zh": "身份证", "en": "ID card"}}]},
          {"item_id": "old-note", "name": {"zh": "旧的登记", "en": "Old registration"},
           "department": "police", "department_name": {"zh": "派出所", "en": "Police station"}}
        ]}"#,
    )
    .unwrap()
}

fn item(id: &str, item_id: &str, status: ItemStatus, accepted_on: Option<NaiveDate>) -> StoredItem {
    StoredItem {
        id: id.into(),
        item_id: item_id.into(),
        status,
        relay: RelayState::Delivered,
        due: None,
        accepted_on,
        timeline: vec![TimelineEntry {
            status: ItemStatus::Submitted,
            at: at(1),
            title: Text::new("已提交", "Submitted"),
            body: Text::new("", ""),
            kind: EntryKind::Status,
        }],
        notice: None,
        corrections: vec![CorrectionPoint {
            target: "material:photo".into(),
            reason: Text::new("看不清", "Not legible"),
            fix: Text::new("重拍", "Retake"),
        }],
        withdrawing: false,
    }
}

fn stored(items: Vec<StoredItem>, materials: Vec<StoredMaterial>) -> StoredApplication {
    StoredApplication {
        id: "A1".into(),
        reference: Reference::parse("BS-7K4Q-92MX").unwrap(),
        event_id: "an-event-since-removed".into(),
        submitted_at: at(1),
        snapshot: old_snapshot(),
        fields: FieldValues::new(),
        items,
        materials,
        rating: None,
        acted_by: None,
    }
}

#[test]
fn an_application_stored_under_an_older_catalog_reads_as_it_was_made() {
    let catalog = Catalog::embedded();
    assert!(catalog.event("an-event-since-removed").is_none());
    let accepted = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let v = view(
        stored(
            vec![
                item("I1", "old-card", ItemStatus::Approved, Some(accepted)),
                item("I2", "old-note", ItemStatus::Delivered, None),
            ],
            vec![
                StoredMaterial {
                    material_id: "photo".into(),
                    provision: Provision::Deferred,
                    provided_at: None,
                },
                StoredMaterial {
                    material_id: "id-card".into(),
                    provision: Provision::Ecert {
                        ecert: "resident-id-card".into(),
                    },
                    provided_at: Some(at(1)),
                },
            ],
        ),
        catalog.calendar(),
    );
    assert_eq!(v.catalog_version, "00000000deadbeef");
    assert_eq!(v.event_name.zh, "旧版的一件事");
    assert_eq!(v.reference.to_string(), "BS-7K4Q-92MX");
    assert_eq!(v.items[0].name.zh, "旧卡申领");
    assert_eq!(v.items[0].department.zh, "劳动保障局");
    assert_eq!(v.items[0].time_limit_working_days, Some(20));
    // The snapshot says the card is posted: approved is not finished yet.
    assert_eq!((v.overall.finished, v.overall.total), (1, 2));
    assert!(!v.can_rate);
    let photo = &v.items[0].materials[0];
    assert_eq!(photo.provision, ProvisionKind::Deferred);
    assert_eq!(photo.provided_at, None);
    // 5 working days after Monday 2026-11-23.
    assert_eq!(
        photo.due.map(|d| d.due),
        NaiveDate::from_ymd_opt(2026, 11, 30)
    );
    assert_eq!(v.items[0].materials[1].provision, ProvisionKind::Ecert);
    assert!(v.items[1].materials.is_empty());
}

#[test]
fn a_deferred_material_has_no_due_date_before_acceptance_and_none_once_provided() {
    let catalog = Catalog::embedded();
    let deferred = |provision, provided_at| StoredMaterial {
        material_id: "photo".into(),
        provision,
        provided_at,
    };
    let v = view(
        stored(
            vec![item("I1", "old-card", ItemStatus::Submitted, None)],
            vec![deferred(Provision::Deferred, None)],
        ),
        catalog.calendar(),
    );
    assert_eq!(v.items[0].materials[0].due, None);
    let accepted = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let v = view(
        stored(
            vec![item("I1", "old-card", ItemStatus::Accepted, Some(accepted))],
            vec![deferred(
                Provision::Upload {
                    attachments: vec!["F1".into()],
                },
                Some(at(5)),
            )],
        ),
        catalog.calendar(),
    );
    let m = &v.items[0].materials[0];
    assert_eq!(
        (m.provision, m.due, m.provided_at),
        (ProvisionKind::Upload, None, Some(at(5)))
    );
}

#[test]
fn an_application_from_before_snapshots_is_described_by_the_current_catalog() {
    let catalog = Catalog::embedded();
    let snap = Snapshot::from_catalog(catalog, "social-security-card", ["ssc-apply", "gone"]);
    assert_eq!(snap.items.len(), 1);
    assert_eq!(snap.items[0].department_name.zh, "人力资源社会保障部门");
    let mut app = stored(
        vec![
            item("I1", "ssc-apply", ItemStatus::Delivered, None),
            item("I2", "gone", ItemStatus::Submitted, None),
        ],
        vec![],
    );
    app.snapshot = snap;
    let v = view(app, catalog.calendar());
    assert_eq!(v.items[0].name.zh, "社会保障卡申领");
    // An item nobody knows any more still shows, by its id.
    assert_eq!(v.items[1].name.zh, "gone");
}

#[test]
fn the_points_of_a_correction_are_shown_only_while_it_is_open() {
    let catalog = Catalog::embedded();
    let v = view(
        stored(
            vec![
                item("I1", "old-card", ItemStatus::CorrectionRequired, None),
                item("I2", "old-note", ItemStatus::Accepted, None),
            ],
            vec![],
        ),
        catalog.calendar(),
    );
    assert_eq!(v.items[0].corrections[0].target, "material:photo");
    assert!(v.items[1].corrections.is_empty());
}

#[test]
fn an_item_refused_for_good_or_being_withdrawn_says_so() {
    let catalog = Catalog::embedded();
    let mut refused = item("I1", "old-card", ItemStatus::Submitted, None);
    refused.relay = RelayState::FollowingUp;
    let mut withdrawing = item("I2", "old-note", ItemStatus::Submitted, None);
    withdrawing.withdrawing = true;
    let v = view(
        stored(vec![refused, withdrawing], vec![]),
        catalog.calendar(),
    );
    assert_eq!(v.items[0].notice.as_ref().unwrap().title.zh, "我们正在跟进");
    assert!(v.items[1].withdrawing);
    assert!(v.items[1]
        .notice
        .as_ref()
        .unwrap()
        .body
        .zh
        .contains("等部门确认"));
}
