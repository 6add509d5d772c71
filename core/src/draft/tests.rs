use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::catalog::Catalog;
use crate::guide::{Answer, Profile};

fn draft(owner: Owner) -> Draft {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 6, 3, 0).unwrap();
    Draft::new("d1", owner, "newborn", "key-0123456789", now)
}

fn page(id: &str) -> Page {
    Page {
        id: id.into(),
        attachment: None,
        content_type: "image/jpeg".into(),
        size: 900_000,
    }
}

#[test]
fn a_draft_is_shown_only_to_its_owner_in_the_same_acting_for_context() {
    let mine = draft(Owner::resident("aaaa"));
    assert!(mine.visible_to(&Owner::resident("aaaa")));
    assert!(!mine.visible_to(&Owner::resident("bbbb")));
    assert!(!mine.visible_to(&Owner::anonymous()));
    let for_mother = draft(Owner {
        resident: Some("aaaa".into()),
        principal: Some("mmmm".into()),
    });
    assert!(!for_mother.visible_to(&Owner::resident("aaaa")));
    assert!(!mine.visible_to(&for_mother.owner));
}

#[test]
fn a_submission_refused_while_acting_for_someone_stays_on_the_agents_own_drafts_page() {
    let acting = Owner {
        resident: Some("aaaa".into()),
        principal: Some("mmmm".into()),
    };
    let mut d = draft(acting.clone());
    let me = Owner::resident("aaaa");
    assert!(!d.refused_for_agent(&me), "not queued");
    d.outbox = Some(Outbox::new(d.created_at));
    assert!(!d.refused_for_agent(&me), "queued, not refused");
    d.outbox.as_mut().unwrap().refused = Some(Text::new("已撤销", "Revoked"));
    assert!(d.refused_for_agent(&me));
    // Not to anyone else, nor in the acting-for context (it shows there as itself).
    assert!(!d.refused_for_agent(&Owner::resident("bbbb")));
    assert!(!d.refused_for_agent(&acting));
    assert!(!d.refused_for_agent(&Owner::anonymous()));
    // Nor a refused draft of one's own: that is simply visible.
    let mut own = draft(me.clone());
    own.outbox = d.outbox.clone();
    assert!(!own.refused_for_agent(&me));
}

#[test]
fn a_draft_started_signed_out_is_offered_to_whoever_signs_in_but_not_shown() {
    let anon = draft(Owner::anonymous());
    assert!(anon.visible_to(&Owner::anonymous()));
    assert!(!anon.visible_to(&Owner::resident("aaaa")));
    assert!(anon.offerable_to(&Owner::resident("aaaa")));
    assert!(!draft(Owner::resident("bbbb")).offerable_to(&Owner::resident("aaaa")));
}

#[test]
fn a_prefill_never_overwrites_what_the_resident_typed_and_typing_removes_its_mark() {
    let mut d = draft(Owner::resident("aaaa"));
    d.set_value("mother.name", "李娜".into());
    assert!(!d.prefill("mother.name", "张伟", Prefill::Identity));
    assert_eq!(d.values["mother.name"], "李娜");
    assert!(d.prefill("applicant.phone", "13800138000", Prefill::Identity));
    assert_eq!(d.prefilled["applicant.phone"], Prefill::Identity);
    d.set_value("applicant.phone", "13800138000".into());
    assert!(
        d.prefilled.contains_key("applicant.phone"),
        "same value keeps the mark"
    );
    d.set_value("applicant.phone", "13900139000".into());
    assert!(!d.prefilled.contains_key("applicant.phone"));
}

#[test]
fn a_draft_is_submitted_only_once_every_page_is_uploaded() {
    let mut d = draft(Owner::resident("aaaa"));
    d.materials.insert(
        "joint-application".into(),
        Choice::Upload {
            pages: vec![page("p1"), page("p2")],
        },
    );
    d.materials.insert(
        "birth-cert".into(),
        Choice::Ecert {
            ecert: "birth-medical-certificate".into(),
        },
    );
    assert_eq!(
        d.submission().unwrap_err(),
        NotUploaded(vec!["p1".into(), "p2".into()])
    );
    d.uploaded("p1", "T1");
    d.uploaded("p2", "T2");
    let s = d.submission().unwrap();
    assert_eq!(
        s.materials["joint-application"],
        Provision::Upload {
            attachments: vec!["T1".into(), "T2".into()]
        }
    );
    assert_eq!(
        s.materials["birth-cert"],
        Provision::Ecert {
            ecert: "birth-medical-certificate".into()
        }
    );
}

#[test]
fn a_changed_answer_drops_the_choices_for_materials_no_longer_needed_and_says_which() {
    let event = Catalog::embedded().event("newborn").unwrap();
    let profile = Profile::new(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let mut d = draft(Owner::resident("aaaa"));
    for (q, a) in [
        ("born-in-hospital", Answer::Bool(true)),
        ("parents-married", Answer::Bool(false)),
        ("register-with", Answer::Text("mother".into())),
        ("parents-same-ethnicity", Answer::Bool(true)),
    ] {
        d.answers.insert(q.into(), a);
    }
    d.materials.insert(
        "non-marital-statement".into(),
        Choice::Upload {
            pages: vec![page("p1")],
        },
    );
    let (_, dropped) = d.prune(event, &profile);
    assert!(dropped.is_empty());
    d.answers
        .insert("parents-married".into(), Answer::Bool(true));
    let (_, dropped) = d.prune(event, &profile);
    assert_eq!(dropped, vec!["non-marital-statement".to_string()]);
    assert!(d.materials.is_empty());
}

#[test]
fn a_draft_round_trips_through_json_as_the_phone_stores_it() {
    let mut d = draft(Owner::resident("aaaa"));
    d.prefill("applicant.phone", "13800138000", Prefill::Identity);
    d.materials.insert(
        "x".into(),
        Choice::Promise {
            signed_at: d.created_at,
        },
    );
    let mut outbox = Outbox::new(d.created_at);
    outbox.failed(Text::new("没有网络", "No network"), d.created_at, 0);
    d.outbox = Some(outbox);
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), d);
}

#[test]
fn an_outbox_entry_waits_longer_after_each_failed_attempt_and_never_after_a_refusal() {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap();
    let mut o = Outbox::new(t0);
    assert!(o.due(t0));
    o.failed(Text::new("没有网络", "No network"), t0, 255);
    assert!(!o.due(t0));
    assert!(o.due(t0 + chrono::Duration::seconds(2)));
    o.failed(Text::new("没有网络", "No network"), t0, 255);
    assert_eq!(o.next_at, Some(t0 + chrono::Duration::seconds(4)));
    assert_eq!(o.attempts, 2);
    o.refused = Some(Text::new("不行", "No"));
    assert!(!o.due(t0 + chrono::Duration::days(1)));
}

#[test]
fn a_phone_never_waits_more_than_half_a_minute_between_tries_of_its_outbox() {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap();
    let mut o = Outbox::new(t0);
    for _ in 0..12 {
        o.failed(Text::new("没有网络", "No network"), t0, 255);
    }
    assert_eq!(
        o.next_at,
        Some(t0 + chrono::Duration::seconds(i64::from(PHONE_CAP_SECS)))
    );
    assert!(o.due(t0 + chrono::Duration::seconds(30)));
}
