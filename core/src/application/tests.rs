//! Submissions and resubmissions checked end to end: on the real catalog
//! (社会保障卡, 退休) and, for what no catalog event has yet (a deferrable
//! material), on a small synthetic event through the same material rule.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::api::ResubmitItem;
use crate::guide::{Answer, Answers};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn ssc() -> SubmitApplication {
    SubmitApplication {
        event_id: "social-security-card".into(),
        answers: [
            ("has-card".to_string(), Answer::Bool(false)),
            ("for-child".to_string(), Answer::Bool(false)),
        ]
        .into(),
        fields: [
            ("cardholder.name".to_string(), "张伟".to_string()),
            (
                "cardholder.id_number".to_string(),
                "110101198503074516".to_string(),
            ),
            ("applicant.phone".to_string(), "138 0013 8000".to_string()),
        ]
        .into(),
        materials: [
            (
                "id-card".to_string(),
                Provision::Ecert {
                    ecert: "resident-id-card".into(),
                },
            ),
            (
                "photo".to_string(),
                Provision::Upload {
                    attachments: vec!["F1".into()],
                },
            ),
        ]
        .into(),
    }
}

fn released(ecerts: &[&str]) -> Profile {
    let mut p = Profile::new(today());
    p.ecerts = ecerts.iter().map(|s| s.to_string()).collect();
    p
}

fn material_fields(e: SubmitError) -> Vec<String> {
    match e {
        SubmitError::Materials(f) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected material errors, got {other:?}"),
    }
}

#[test]
fn a_complete_submission_keeps_each_provision_and_which_item_needs_which_material() {
    let catalog = Catalog::embedded();
    let valid = check_submission(catalog, &ssc(), &released(&["resident-id-card"])).unwrap();
    assert_eq!(valid.materials.len(), 2);
    assert_eq!(valid.item_materials, vec![vec!["id-card", "photo"]]);
    let snap = valid.snapshot(catalog);
    assert_eq!(snap.catalog_version, catalog.version());
    assert_eq!(snap.items[0].department_name.zh, "人力资源社会保障部门");
    assert_eq!(
        snap.items[0]
            .materials
            .iter()
            .map(|m| m.id.as_str())
            .collect::<Vec<_>>(),
        ["id-card", "photo"]
    );
    assert!(snap.items[0]
        .fields
        .contains(&"applicant.phone".to_string()));
}

#[test]
fn a_missing_material_is_named_in_both_languages() {
    let mut s = ssc();
    s.materials.remove("photo");
    let err =
        check_submission(Catalog::embedded(), &s, &released(&["resident-id-card"])).unwrap_err();
    let SubmitError::Materials(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(errors[0].field, "materials.photo");
    assert!(errors[0].message.zh.contains("白底免冠电子照片"));
    assert!(errors[0].message.en.contains("Digital photo"));
}

#[test]
fn an_ecert_serves_only_the_material_it_waives_and_only_once_released() {
    let catalog = Catalog::embedded();
    // Not released for this event: refused, naming the material.
    let err = check_submission(catalog, &ssc(), &released(&[])).unwrap_err();
    assert_eq!(material_fields(err), ["materials.id-card"]);
    // An e-certificate of another type does not replace the ID card.
    let mut s = ssc();
    s.materials.insert(
        "id-card".into(),
        Provision::Ecert {
            ecert: "household-register".into(),
        },
    );
    let err = check_submission(catalog, &s, &released(&["household-register"])).unwrap_err();
    assert_eq!(material_fields(err), ["materials.id-card"]);
    // The photo has no e-certificate at all.
    let mut s = ssc();
    s.materials.insert(
        "photo".into(),
        Provision::Ecert {
            ecert: "resident-id-card".into(),
        },
    );
    let err = check_submission(catalog, &s, &released(&["resident-id-card"])).unwrap_err();
    assert_eq!(material_fields(err), ["materials.photo"]);
}

#[test]
fn a_promise_or_a_deferral_is_refused_where_the_catalog_does_not_allow_it() {
    let catalog = Catalog::embedded();
    for p in [
        Provision::Promise {
            signed_at: Utc.with_ymd_and_hms(2026, 11, 22, 1, 0, 0).unwrap(),
        },
        Provision::Deferred,
    ] {
        let mut s = ssc();
        s.materials.insert("photo".into(), p);
        let err = check_submission(catalog, &s, &released(&["resident-id-card"])).unwrap_err();
        assert_eq!(material_fields(err), ["materials.photo"]);
    }
}

#[test]
fn an_upload_has_one_to_twenty_distinct_pages() {
    let catalog = Catalog::embedded();
    let with = |pages: Vec<String>| {
        let mut s = ssc();
        s.materials
            .insert("photo".into(), Provision::Upload { attachments: pages });
        check_submission(catalog, &s, &released(&["resident-id-card"]))
    };
    assert!(with((0..20).map(|i| format!("F{i}")).collect()).is_ok());
    for bad in [
        vec![],
        (0..21).map(|i| format!("F{i}")).collect(),
        vec!["F1".into(), "F1".into()],
        vec!["  ".into()],
    ] {
        assert_eq!(
            material_fields(with(bad.clone()).unwrap_err()),
            ["materials.photo"],
            "{bad:?}"
        );
    }
}

#[test]
fn a_material_the_answers_do_not_require_is_refused() {
    let mut s = ssc();
    s.materials.insert(
        "birth-cert".into(),
        Provision::Upload {
            attachments: vec!["F9".into()],
        },
    );
    s.materials
        .insert("no-such-material".into(), Provision::Deferred);
    let err =
        check_submission(Catalog::embedded(), &s, &released(&["resident-id-card"])).unwrap_err();
    assert_eq!(
        material_fields(err),
        ["materials.birth-cert", "materials.no-such-material"]
    );
}

#[test]
fn a_promise_is_accepted_where_the_catalog_allows_one() {
    let catalog = Catalog::embedded();
    let event = catalog.event("retirement").unwrap();
    let promised: Vec<&str> = event
        .items
        .iter()
        .flat_map(|i| &i.materials)
        .filter(|m| m.promise)
        .map(|m| m.id.as_str())
        .collect();
    assert!(!promised.is_empty(), "retirement has a 告知承诺 material");
    let item = event
        .items
        .iter()
        .find(|i| i.materials.iter().any(|m| m.promise))
        .unwrap();
    let material = item.materials.iter().find(|m| m.promise).unwrap();
    let need = MaterialNeed {
        item,
        material,
        waived: false,
        promise: true,
        deferrable: false,
    };
    let provided: BTreeMap<String, Provision> = [(
        material.id.clone(),
        Provision::Promise {
            signed_at: Utc.with_ymd_and_hms(2026, 11, 22, 1, 0, 0).unwrap(),
        },
    )]
    .into();
    assert_eq!(
        check_materials(&[need], &provided, &Profile::new(today())).unwrap(),
        provided
    );
}

/// A synthetic event: `photo` may follow later (容缺), `idcard` may not, and
/// both items list `idcard` (one document for both).
fn synthetic() -> crate::catalog::Event {
    serde_json::from_value(serde_json::json!({
        "id": "test", "audience": "personal", "batch": "2024-1",
        "name": {"zh": "测试", "en": "Test"}, "summary": {"zh": "测试", "en": "Test"},
        "sources": [{"title": "t", "issuer": "i", "date": "2024-01-16", "url": "https://example.org", "scope": "national"}],
        "items": [
            {"id": "a", "name": {"zh": "甲", "en": "A"}, "department": "hrss",
             "fee": {"zh": "免费", "en": "Free"}, "delivery": ["electronic"],
             "materials": [{"id": "idcard", "name": {"zh": "身份证", "en": "ID"}, "waived_by": "resident-id-card"},
                           {"id": "photo", "name": {"zh": "照片", "en": "Photo"}, "deferrable": true, "defer_working_days": 5}]},
            {"id": "b", "name": {"zh": "乙", "en": "B"}, "department": "police",
             "fee": {"zh": "免费", "en": "Free"}, "delivery": ["electronic"],
             "materials": [{"id": "idcard", "name": {"zh": "身份证", "en": "ID"}}]}
        ],
        "fields": [
            {"key": "applicant.phone", "label": {"zh": "手机", "en": "Mobile"}, "kind": "mobile", "items": ["a"]},
            {"key": "applicant.address", "label": {"zh": "地址", "en": "Address"}, "kind": "address", "items": ["b"]}
        ]
    }))
    .unwrap()
}

#[test]
fn one_material_listed_by_two_items_needs_a_provision_both_accept() {
    let event = synthetic();
    let profile = released(&["resident-id-card"]);
    let outcome = guide::evaluate(&event, &Answers::new(), &profile);
    let ecert: BTreeMap<String, Provision> = [
        (
            "idcard".to_string(),
            Provision::Ecert {
                ecert: "resident-id-card".into(),
            },
        ),
        ("photo".to_string(), Provision::Deferred),
    ]
    .into();
    // Item b has no e-certificate waiver, so the one ID card must be uploaded.
    let errors = check_materials(&outcome.materials, &ecert, &profile).unwrap_err();
    assert_eq!(errors[0].field, "materials.idcard");
    let mut upload = ecert.clone();
    upload.insert(
        "idcard".into(),
        Provision::Upload {
            attachments: vec!["F1".into()],
        },
    );
    let ok = check_materials(&outcome.materials, &upload, &profile).unwrap();
    assert_eq!(ok["photo"], Provision::Deferred);
}

#[test]
fn a_resubmission_changes_only_its_own_items_fields_and_materials() {
    let event = synthetic();
    let profile = Profile::new(today());
    let stored: FieldValues = [
        ("applicant.phone".to_string(), "13800138000".to_string()),
        (
            "applicant.address".to_string(),
            "北京市东城区1号".to_string(),
        ),
    ]
    .into();
    let item_materials = vec!["idcard".to_string(), "photo".to_string()];
    let change = |fields: &[(&str, &str)], materials: &[(&str, Provision)]| ResubmitItem {
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        materials: materials
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    };
    let ok = check_resubmission(
        &event,
        "a",
        &stored,
        &change(
            &[("applicant.phone", "138 0013 8001")],
            &[(
                "photo",
                Provision::Upload {
                    attachments: vec!["F2".into()],
                },
            )],
        ),
        &item_materials,
        &profile,
    )
    .unwrap();
    assert_eq!(ok.fields["applicant.phone"], "13800138001");
    assert!(!ok.fields.contains_key("applicant.address"));
    assert_eq!(ok.materials.len(), 1);

    // Another item's field is refused by name, not merged unchecked.
    match check_resubmission(
        &event,
        "a",
        &stored,
        &change(&[("applicant.address", "别处")], &[]),
        &item_materials,
        &profile,
    ) {
        Err(SubmitError::Fields(f)) => assert_eq!(f[0].field, "applicant.address"),
        other => panic!("{other:?}"),
    }
    // A bad value of its own field is caught by the same validation.
    match check_resubmission(
        &event,
        "a",
        &stored,
        &change(&[("applicant.phone", "12")], &[]),
        &item_materials,
        &profile,
    ) {
        Err(SubmitError::Fields(f)) => assert_eq!(f[0].field, "applicant.phone"),
        other => panic!("{other:?}"),
    }
    // A material the item did not require is refused.
    let err = check_resubmission(
        &event,
        "b",
        &stored,
        &change(&[], &[("photo", Provision::Deferred)]),
        &["idcard".to_string()],
        &profile,
    )
    .unwrap_err();
    assert_eq!(material_fields(err), ["materials.photo"]);
}

#[test]
fn a_resubmission_checks_only_the_fields_of_its_item() {
    let catalog = Catalog::embedded();
    let event = catalog.event("social-security-card").unwrap();
    let profile = Profile::new(today());
    let stored: FieldValues = [
        ("cardholder.name".to_string(), "张伟".to_string()),
        (
            "cardholder.id_number".to_string(),
            "110101198503074516".to_string(),
        ),
        ("applicant.phone".to_string(), "138 0013 8000".to_string()),
    ]
    .into();
    let none = ResubmitItem {
        fields: FieldValues::new(),
        materials: BTreeMap::new(),
    };
    let ok = check_resubmission(event, "ssc-apply", &stored, &none, &[], &profile).unwrap();
    assert_eq!(ok.fields["applicant.phone"], "13800138000");
    let bad = ResubmitItem {
        fields: [("applicant.phone".to_string(), "12".to_string())].into(),
        materials: BTreeMap::new(),
    };
    match check_resubmission(event, "ssc-apply", &stored, &bad, &[], &profile) {
        Err(SubmitError::Fields(f)) => assert_eq!(f[0].field, "applicant.phone"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_snapshot_from_an_older_catalog_reads_back_without_that_catalog() {
    // As stored under an earlier catalog version, for an item the current
    // catalog no longer has and a field (`delivery`) that version lacked.
    let stored = r#"{
        "catalog_version": "0123456789abcdef",
        "event_name": {"zh": "旧的一件事", "en": "An old life event"},
        "items": [{"item_id": "retired-item", "name": {"zh": "已取消的事项", "en": "A discontinued item"},
                   "department": "hrss", "department_name": {"zh": "人社部门", "en": "HRSS"},
                   "time_limit_working_days": 15, "produces_card": true,
                   "materials": [{"id": "photo", "name": {"zh": "照片", "en": "Photo"}}]}]
    }"#;
    let snap: Snapshot = serde_json::from_str(stored).unwrap();
    let item = snap.item("retired-item").unwrap();
    assert_eq!(item.name.zh, "已取消的事项");
    assert_eq!(item.time_limit_working_days, Some(15));
    assert!(item.delivery.is_empty() && item.fields.is_empty());
    assert!(!item.is_finished(crate::status::ItemStatus::Approved));
    assert!(item.is_finished(crate::status::ItemStatus::Delivered));
    assert!(Catalog::embedded().event("retired-item").is_none());
}
