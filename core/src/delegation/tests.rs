use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::audit::{self, AuditAction, AuditEntry, Party, Person, Viewer};
use super::consent::{self, CodeOutcome, ConsentError, PendingCode};
use super::*;
use crate::catalog::Catalog;
use crate::platform::{HouseholdMember, Relation};

const SON: &str = "r-zhang-wei";
const MOTHER: &str = "r-wang-xiuying";
const BABY: &str = "r-zhang-xiaobao";

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 2026-12-01 14:03 in China.
fn now() -> DateTime<Utc> {
    at(2026, 12, 1, 6, 3)
}

fn event(id: &str) -> &'static crate::catalog::Event {
    Catalog::embedded().event(id).unwrap()
}

fn delegation(scope: Scope, validity: Validity, state: DelegationState, way: Way) -> Delegation {
    Delegation {
        id: "D1".into(),
        principal: MOTHER.into(),
        agent: SON.into(),
        relationship: Relationship::Child,
        scope,
        validity,
        state,
        way,
        created_at: at(2026, 11, 30, 2, 0),
        used_for: None,
    }
}

fn retirement_only() -> Delegation {
    delegation(
        Scope::Events {
            events: vec!["retirement".into()],
        },
        Validity::Until {
            until: day(2027, 5, 31),
        },
        DelegationState::Active,
        Way::Consent,
    )
}

fn ask(
    d: &[Delegation],
    action: Action,
    target: &Target,
    when: DateTime<Utc>,
) -> Result<Authority, Refusal> {
    let standing = Standing {
        delegations: d,
        ..Standing::default()
    };
    authorize(SON, MOTHER, action, target, &standing, when)
}

fn app<'a>(id: &'a str, event_id: &str, made_under: Option<&'a str>) -> ApplicationRef<'a> {
    ApplicationRef {
        id,
        event: event(event_id),
        made_under,
    }
}

const EVERY_ACTION: [Action; 7] = [
    Action::Read,
    Action::Submit,
    Action::Correct,
    Action::Withdraw,
    Action::Rate,
    Action::ReadAttachments,
    Action::ReleaseCertificates,
];

#[test]
fn the_resident_may_always_act_for_themself_with_no_delegation() {
    let standing = Standing::default();
    for action in EVERY_ACTION {
        let r = authorize(
            MOTHER,
            MOTHER,
            action,
            &Target::Event(event("deregistration")),
            &standing,
            now(),
        );
        assert_eq!(r, Ok(Authority::Own), "{action:?}");
    }
}

#[test]
fn a_stranger_has_no_standing() {
    for target in [
        Target::Lists,
        Target::Person,
        Target::Event(event("retirement")),
    ] {
        assert_eq!(
            ask(&[], Action::Read, &target, now()),
            Err(Refusal::NoStanding)
        );
    }
}

#[test]
fn an_agent_in_scope_may_do_every_action_on_the_event_and_its_applications() {
    let d = [retirement_only()];
    for action in EVERY_ACTION {
        let granted = ask(
            &d,
            action,
            &Target::Application(app("A1", "retirement", None)),
            now(),
        )
        .unwrap();
        assert_eq!(granted.delegation(), Some("D1"));
        assert_eq!(granted.relationship(), Some(Relationship::Child));
    }
    assert!(ask(
        &d,
        Action::Submit,
        &Target::Event(event("retirement")),
        now()
    )
    .is_ok());
    assert!(ask(&d, Action::Read, &Target::Person, now()).is_ok());
    assert!(ask(&d, Action::Read, &Target::Lists, now()).is_ok());
}

#[test]
fn an_agent_out_of_scope_is_refused_and_the_application_is_hidden() {
    let d = [retirement_only()];
    let r = ask(&d, Action::Submit, &Target::Event(event("newborn")), now()).unwrap_err();
    assert_eq!(r.code(), "out_of_scope");
    assert!(r.message().zh.contains("新生儿出生"), "{}", r.message().zh);
    let r = ask(
        &d,
        Action::Read,
        &Target::Application(app("A2", "newborn", None)),
        now(),
    )
    .unwrap_err();
    assert!(r.hides_resource());
}

#[test]
fn all_personal_events_never_include_a_business_event() {
    let d = [delegation(
        Scope::AllPersonal,
        Validity::Until {
            until: day(2027, 1, 1),
        },
        DelegationState::Active,
        Way::Grant,
    )];
    assert!(ask(&d, Action::Submit, &Target::Event(event("newborn")), now()).is_ok());
    let r = ask(
        &d,
        Action::Submit,
        &Target::Event(event("deregistration")),
        now(),
    );
    assert_eq!(r.unwrap_err().code(), "business_event");
}

#[test]
fn a_business_event_needs_its_name_in_scope_a_legal_representative_and_an_event_that_accepts_an_agent(
) {
    let named = |id: &str| {
        delegation(
            Scope::Events {
                events: vec![id.into()],
            },
            Validity::Until {
                until: day(2027, 1, 1),
            },
            DelegationState::Active,
            Way::Grant,
        )
    };
    let try_as = |d: Delegation, id: &str, legal_rep: bool| {
        let d = [d];
        let standing = Standing {
            delegations: &d,
            household: None,
            principal_is_legal_representative: legal_rep,
        };
        authorize(
            SON,
            MOTHER,
            Action::Submit,
            &Target::Event(event(id)),
            &standing,
            now(),
        )
    };
    assert!(event("transport-company").accepts_agent);
    assert!(try_as(named("transport-company"), "transport-company", true).is_ok());
    assert!(try_as(named("transport-company"), "transport-company", false).is_err());
    // An event that does not accept an agent, even named, even for a legal representative.
    assert!(!event("deregistration").accepts_agent);
    assert_eq!(
        try_as(named("deregistration"), "deregistration", true)
            .unwrap_err()
            .code(),
        "business_event"
    );
}

#[test]
fn a_revoked_delegation_is_refused_on_the_very_next_request() {
    let mut d = retirement_only();
    d.state = DelegationState::Revoked;
    for action in EVERY_ACTION {
        let r = ask(
            &[d.clone()],
            action,
            &Target::Application(app("A1", "retirement", None)),
            now(),
        );
        assert_eq!(r, Err(Refusal::Revoked), "{action:?}");
        assert!(!Refusal::Revoked.hides_resource());
    }
}

#[test]
fn a_period_ends_at_midnight_in_china_after_its_last_day() {
    let d = [retirement_only()];
    let target = Target::Event(event("retirement"));
    // 2027-05-31 23:59 in China is 15:59 UTC.
    assert!(ask(&d, Action::Submit, &target, at(2027, 5, 31, 15, 59)).is_ok());
    assert_eq!(
        ask(&d, Action::Submit, &target, at(2027, 5, 31, 16, 0)),
        Err(Refusal::Expired {
            on: day(2027, 5, 31)
        })
    );
    assert_eq!(d[0].expiry_day(), day(2027, 5, 31));
    assert_eq!(
        d[0].state_at(at(2027, 5, 31, 16, 0)),
        DelegationState::Expired
    );
}

#[test]
fn a_one_application_delegation_covers_one_application_until_it_is_finished() {
    let mut d = delegation(
        Scope::Events {
            events: vec!["retirement".into()],
        },
        Validity::OneApplication,
        DelegationState::Active,
        Way::Consent,
    );
    let submit = Target::Event(event("retirement"));
    assert!(ask(&[d.clone()], Action::Submit, &submit, now()).is_ok());
    d.used_for = Some(UsedFor {
        application: "A1".into(),
        event: "retirement".into(),
        finished: false,
    });
    assert_eq!(
        ask(&[d.clone()], Action::Submit, &submit, now()),
        Err(Refusal::Used)
    );
    let own = Target::Application(app("A1", "retirement", Some("D1")));
    assert!(ask(&[d.clone()], Action::Correct, &own, now()).is_ok());
    assert!(ask(&[d.clone()], Action::ReleaseCertificates, &submit, now()).is_ok());
    let other = ask(
        &[d.clone()],
        Action::Read,
        &Target::Application(app("A0", "retirement", None)),
        now(),
    )
    .unwrap_err();
    assert!(other.hides_resource());
    d.used_for.as_mut().unwrap().finished = true;
    assert_eq!(d.state_at(now()), DelegationState::Expired);
    assert_eq!(ask(&[d], Action::Read, &own, now()), Err(Refusal::Used));
}

#[test]
fn a_request_not_yet_approved_gives_nothing_and_lapses_after_a_day() {
    let mut d = retirement_only();
    d.state = DelegationState::Requested;
    d.created_at = now() - chrono::Duration::hours(1);
    assert_eq!(
        ask(&[d.clone()], Action::Read, &Target::Lists, now()),
        Err(Refusal::NotYetApproved)
    );
    let later = d.created_at + REQUEST_TTL;
    assert_eq!(d.state_at(later), DelegationState::Expired);
    assert_eq!(
        ask(&[d.clone()], Action::Read, &Target::Lists, later),
        Err(Refusal::Expired {
            on: day(2026, 12, 2)
        })
    );
}

#[test]
fn a_paper_mandate_not_yet_verified_allows_only_the_first_application_and_reading_it() {
    let mut d = delegation(
        Scope::Events {
            events: vec!["elderly-allowance".into()],
        },
        Validity::Until {
            until: day(2027, 1, 31),
        },
        DelegationState::Requested,
        Way::Paper,
    );
    let submit = Target::Event(event("elderly-allowance"));
    let granted = ask(&[d.clone()], Action::Submit, &submit, now()).unwrap();
    assert!(matches!(
        granted,
        Authority::Delegated { pending: true, .. }
    ));
    assert_eq!(
        ask(&[d.clone()], Action::Read, &Target::Person, now()),
        Err(Refusal::MandatePending)
    );
    assert_eq!(
        ask(&[d.clone()], Action::ReleaseCertificates, &submit, now()),
        Err(Refusal::MandatePending)
    );
    assert!(ask(&[d.clone()], Action::Submit, &Target::Lists, now()).is_ok());
    d.used_for = Some(UsedFor {
        application: "A9".into(),
        event: "elderly-allowance".into(),
        finished: false,
    });
    assert_eq!(
        ask(&[d.clone()], Action::Submit, &submit, now()),
        Err(Refusal::MandatePending)
    );
    let first = Target::Application(app("A9", "elderly-allowance", Some("D1")));
    assert!(ask(&[d.clone()], Action::Read, &first, now()).is_ok());
    let r = ask(&[d.clone()], Action::Withdraw, &first, now()).unwrap_err();
    assert_eq!(r, Refusal::MandatePending);
    assert!(
        !r.hides_resource(),
        "known, visible, not to be changed: 403"
    );
    let other = Target::Application(app("A8", "elderly-allowance", None));
    assert!(ask(&[d.clone()], Action::Read, &other, now())
        .unwrap_err()
        .hides_resource());
    // Verified: a delegation like any other.
    d.state = DelegationState::Active;
    assert!(ask(&[d], Action::Read, &Target::Person, now()).is_ok());
}

fn baby(birth: NaiveDate) -> HouseholdMember {
    HouseholdMember {
        sub: BABY.into(),
        name: "张小宝".into(),
        relation: Relation::Child,
        birth_date: birth,
        disabled: false,
        id_number: None,
    }
}

fn as_parent(
    member: &HouseholdMember,
    target: &Target,
    when: DateTime<Utc>,
) -> Result<Authority, Refusal> {
    let standing = Standing {
        delegations: &[],
        household: Some(member),
        principal_is_legal_representative: false,
    };
    authorize(SON, &member.sub, Action::Submit, target, &standing, when)
}

#[test]
fn a_parent_acts_for_a_minor_child_with_no_grant_until_the_18th_birthday_in_china() {
    let child = baby(day(2024, 1, 15));
    let target = Target::Event(event("social-security-card"));
    assert_eq!(
        as_parent(&child, &target, now()),
        Ok(Authority::Guardian {
            until: day(2042, 1, 14)
        })
    );
    // 2042-01-14 23:59:59 in China: still 17.
    let eve = Utc.with_ymd_and_hms(2042, 1, 14, 15, 59, 59).unwrap();
    assert!(as_parent(&child, &target, eve).is_ok());
    // 2042-01-15 00:00 in China (16:00 UTC the day before): 18, on their own.
    let birthday = at(2042, 1, 14, 16, 0);
    let r = as_parent(&child, &target, birthday).unwrap_err();
    assert_eq!(
        r,
        Refusal::GuardianshipEnded {
            on: day(2042, 1, 15)
        }
    );
    assert!(r.message().zh.contains("2042年1月15日"));
    assert_eq!(r.code(), "guardianship_ended");
}

#[test]
fn a_leap_day_child_comes_of_age_on_the_first_of_march() {
    assert_eq!(guardianship_ends(day(2008, 2, 29)), day(2026, 3, 1));
    assert_eq!(guardianship_ends(day(2008, 3, 1)), day(2026, 3, 1));
    assert_eq!(guardianship_ends(day(2024, 2, 29)), day(2042, 3, 1));
    let child = baby(day(2008, 2, 29));
    let target = Target::Lists;
    assert!(as_parent(&child, &target, at(2026, 2, 28, 15, 59)).is_ok());
    assert!(as_parent(&child, &target, at(2026, 2, 28, 16, 0)).is_err());
}

#[test]
fn guardianship_is_only_for_ones_own_children_and_personal_events() {
    let mut grandchild = baby(day(2024, 1, 15));
    grandchild.relation = Relation::Grandchild;
    assert_eq!(
        as_parent(&grandchild, &Target::Lists, now()),
        Err(Refusal::NoStanding)
    );
    let child = baby(day(2024, 1, 15));
    assert_eq!(
        as_parent(&child, &Target::Event(event("deregistration")), now())
            .unwrap_err()
            .code(),
        "business_event"
    );
    // The household row must be the principal's own.
    let standing = Standing {
        delegations: &[],
        household: Some(&child),
        principal_is_legal_representative: false,
    };
    assert_eq!(
        authorize(SON, MOTHER, Action::Read, &Target::Lists, &standing, now()),
        Err(Refusal::NoStanding)
    );
}

#[test]
fn the_most_telling_refusal_is_given_when_several_bases_refuse() {
    let mut old = retirement_only();
    old.id = "D0".into();
    old.state = DelegationState::Revoked;
    old.created_at = at(2026, 1, 1, 0, 0);
    let live = retirement_only();
    let r = ask(
        &[old.clone(), live],
        Action::Submit,
        &Target::Event(event("newborn")),
        now(),
    );
    assert_eq!(r.unwrap_err().code(), "out_of_scope");
    // A newer request waiting beats nothing, but a revocation beats a request.
    let mut waiting = retirement_only();
    waiting.state = DelegationState::Requested;
    waiting.created_at = now() - chrono::Duration::hours(1);
    assert_eq!(
        ask(&[waiting, old], Action::Read, &Target::Lists, now()),
        Err(Refusal::Revoked)
    );
}

#[test]
fn every_refusal_has_a_stable_code_and_words_in_both_languages() {
    let all = [
        Refusal::NoStanding,
        Refusal::NotYetApproved,
        Refusal::Revoked,
        Refusal::Expired {
            on: day(2027, 1, 1),
        },
        Refusal::GuardianshipEnded {
            on: day(2042, 1, 15),
        },
        Refusal::OutOfScope {
            event: event("newborn").name.clone(),
        },
        Refusal::BusinessEvent {
            event: event("deregistration").name.clone(),
        },
        Refusal::MandatePending,
        Refusal::Used,
        Refusal::NotThisApplication,
    ];
    let mut codes: Vec<_> = all.iter().map(|r| r.code()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for r in &all {
        let m = r.message();
        assert!(!m.zh.is_empty() && !m.en.is_empty(), "{r:?}");
        assert!(m.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    }
}

fn terms<'a>(scope: &'a Scope, validity: &'a Validity, way: Way) -> Terms<'a> {
    Terms {
        principal: MOTHER,
        agent: SON,
        relationship: Relationship::Child,
        scope,
        validity,
        way,
        principal_is_legal_representative: false,
    }
}

#[test]
fn new_terms_are_at_most_a_year_of_real_events_and_never_oneself() {
    let catalog = Catalog::embedded();
    let today = day(2026, 12, 1);
    let retirement = Scope::Events {
        events: vec!["retirement".into()],
    };
    let year = Validity::Until {
        until: day(2027, 12, 1),
    };
    assert_eq!(
        terms(&retirement, &year, Way::Consent).check(catalog, today),
        []
    );
    let too_long = Validity::Until {
        until: day(2027, 12, 2),
    };
    assert_eq!(
        terms(&retirement, &too_long, Way::Consent).check(catalog, today),
        [TermsError::TooLong(day(2027, 12, 1))]
    );
    let past = Validity::Until {
        until: day(2026, 11, 30),
    };
    assert_eq!(
        terms(&retirement, &past, Way::Consent).check(catalog, today),
        [TermsError::UntilInPast]
    );
    let messy = Scope::Events {
        events: vec![
            "retirement".into(),
            "retirement".into(),
            "no-such".into(),
            "deregistration".into(),
        ],
    };
    assert_eq!(
        terms(&messy, &Validity::OneApplication, Way::Consent).check(catalog, today),
        [
            TermsError::RepeatedEvent("retirement".into()),
            TermsError::UnknownEvent("no-such".into()),
            TermsError::BusinessEvent("deregistration".into()),
        ]
    );
    let empty = Scope::Events { events: vec![] };
    assert_eq!(
        terms(&empty, &year, Way::Grant).check(catalog, today),
        [TermsError::EmptyScope]
    );
    let mut me = terms(&retirement, &year, Way::Grant);
    me.agent = MOTHER;
    assert_eq!(me.check(catalog, today), [TermsError::SelfDelegation]);
    for e in [
        TermsError::TooLong(day(2027, 12, 1)),
        TermsError::BusinessEvent("deregistration".into()),
    ] {
        let f = e.field_error(catalog);
        assert!(!f.message.zh.is_empty() && !f.message.en.is_empty());
    }
}

#[test]
fn a_paper_mandate_names_events_that_accept_one() {
    let catalog = Catalog::embedded();
    let today = day(2026, 12, 1);
    let year = Validity::Until {
        until: day(2027, 6, 1),
    };
    let allowance = Scope::Events {
        events: vec!["elderly-allowance".into()],
    };
    assert!(event("elderly-allowance").accepts_paper_mandate);
    assert_eq!(
        terms(&allowance, &year, Way::Paper).check(catalog, today),
        []
    );
    let retirement = Scope::Events {
        events: vec!["retirement".into()],
    };
    assert_eq!(
        terms(&retirement, &year, Way::Paper).check(catalog, today),
        [TermsError::PaperNotAccepted("retirement".into())]
    );
    assert_eq!(
        terms(&Scope::AllPersonal, &year, Way::Paper).check(catalog, today),
        [TermsError::PaperNeedsNamedEvents]
    );
}

#[test]
fn relationships_have_words_for_each_side_and_sex() {
    use Relationship::*;
    assert_eq!(Child.word(Some(true)).zh, "儿子");
    assert_eq!(Child.inverse().word(Some(false)).zh, "母亲");
    assert_eq!(Spouse.word(Some(false)).zh, "妻子");
    assert_eq!(OtherRelative.label().zh, "其他亲属");
    assert_eq!(Sibling.label().en, "Sibling");
    for r in Relationship::ALL {
        assert_eq!(Relationship::parse(r.as_str()), Some(r));
        assert_eq!(r.inverse().inverse(), r);
    }
}

#[test]
fn the_audit_reads_as_a_sentence_on_each_side() {
    let entry = AuditEntry {
        at: now(),
        action: AuditAction::Submitted,
        by: Party::Agent,
        agent: Person {
            name: "张伟".into(),
            male: Some(true),
        },
        principal: Person {
            name: "王秀英".into(),
            male: Some(false),
        },
        relationship: Relationship::Child,
        what: Some(event("retirement").name.clone()),
    };
    assert_eq!(
        audit::render(&entry, Viewer::Principal).zh,
        "2026年12月1日 14:03 张伟（儿子）代您提交了 退休一件事"
    );
    assert_eq!(
        audit::render(&entry, Viewer::Agent).zh,
        "2026年12月1日 14:03 您代 王秀英（母亲）提交了 退休一件事"
    );
    assert_eq!(
        audit::render(&entry, Viewer::Principal).en,
        "1 Dec 2026 14:03 张伟 (son) submitted Retirement for you"
    );
    let revoked = AuditEntry {
        action: AuditAction::Revoked,
        by: Party::Principal,
        ..entry.clone()
    };
    assert_eq!(
        audit::render(&revoked, Viewer::Agent).zh,
        "2026年12月1日 14:03 王秀英（母亲）撤销了给您的授权"
    );
    for action in [
        AuditAction::Requested,
        AuditAction::Approved,
        AuditAction::Granted,
        AuditAction::Declined,
        AuditAction::Expired,
        AuditAction::MandateUploaded,
        AuditAction::MandateVerified,
        AuditAction::MandateRefused,
        AuditAction::Corrected,
        AuditAction::Withdrew,
        AuditAction::Rated,
        AuditAction::ProvidedMaterial,
        AuditAction::ReleasedCertificates,
    ] {
        assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        for viewer in [Viewer::Principal, Viewer::Agent] {
            let e = AuditEntry {
                action,
                ..entry.clone()
            };
            let t = audit::render(&e, viewer);
            assert!(
                t.zh.starts_with("2026年12月1日 14:03 ") && t.en.starts_with("1 Dec 2026 14:03 ")
            );
            assert!(t.zh.contains("张伟") || t.zh.contains("王秀英"), "{t:?}");
        }
    }
}

const KEY: &[u8] = b"consent-key";

fn pending(code: &str, attempts: u32) -> PendingCode {
    PendingCode {
        hash: consent::code_hash(KEY, "D1", code),
        expires_at: now() + consent::CODE_TTL,
        attempts,
    }
}

#[test]
fn a_consent_code_is_six_digits_stored_only_as_a_keyed_hash() {
    for seed in [[0u8; 8], [255; 8], [7, 1, 2, 3, 4, 5, 6, 7]] {
        let c = consent::new_code(seed);
        assert_eq!(c.len(), 6);
        assert!(c.bytes().all(|b| b.is_ascii_digit()));
    }
    let h = consent::code_hash(KEY, "D1", "123456");
    assert!(!h.contains("123456"));
    assert_ne!(
        h,
        consent::code_hash(KEY, "D2", "123456"),
        "bound to the request"
    );
    assert_ne!(h, consent::code_hash(b"other", "D1", "123456"), "keyed");
}

#[test]
fn five_wrong_codes_lock_the_code_and_the_right_one_then_fails() {
    let mut p = pending("246810", 0);
    for left in (0..consent::MAX_ATTEMPTS).rev() {
        assert_eq!(
            consent::check_code(KEY, "D1", &p, "000000", 0, now()),
            Ok(CodeOutcome::Wrong {
                attempts_left: left
            })
        );
        p.attempts += 1;
    }
    assert_eq!(
        consent::check_code(KEY, "D1", &p, "246810", 0, now()),
        Err(ConsentError::Locked)
    );
    assert_eq!(
        consent::check_code(KEY, "D1", &pending("246810", 4), "246810", 0, now()),
        Ok(CodeOutcome::Correct)
    );
}

#[test]
fn an_expired_code_fails_even_when_right() {
    let p = pending("246810", 0);
    let late = p.expires_at;
    assert_eq!(
        consent::check_code(KEY, "D1", &p, "246810", 0, late),
        Err(ConsentError::Expired)
    );
    assert_eq!(
        consent::check_code(
            KEY,
            "D1",
            &p,
            "246810",
            0,
            late - chrono::Duration::seconds(1)
        ),
        Ok(CodeOutcome::Correct)
    );
}

#[test]
fn guessing_across_requests_is_stopped_by_the_day_limits() {
    let p = pending("246810", 0);
    assert_eq!(
        consent::check_code(
            KEY,
            "D1",
            &p,
            "246810",
            consent::WRONG_CODES_PER_AGENT,
            now()
        ),
        Err(ConsentError::TooManyWrongCodes)
    );
    assert_eq!(consent::may_request(0, 0), Ok(()));
    assert_eq!(
        consent::may_request(consent::REQUESTS_PER_AGENT, 0),
        Err(ConsentError::TooManyRequestsByAgent)
    );
    assert_eq!(
        consent::may_request(0, consent::REQUESTS_PER_PRINCIPAL),
        Err(ConsentError::TooManyRequestsForPrincipal)
    );
    // At most this many guesses a day out of a million codes.
    let guesses = consent::REQUESTS_PER_AGENT * consent::MAX_ATTEMPTS as usize;
    assert!(guesses.min(consent::WRONG_CODES_PER_AGENT) <= 10);
}

#[test]
fn a_malformed_code_is_refused_without_using_a_try() {
    let p = pending("246810", 0);
    for bad in ["12345", "1234567", "12a456", ""] {
        assert_eq!(
            consent::check_code(KEY, "D1", &p, bad, 0, now()),
            Err(ConsentError::Malformed)
        );
    }
    assert_eq!(
        consent::check_code(KEY, "D1", &p, " 246810 ", 0, now()),
        Ok(CodeOutcome::Correct)
    );
    assert!(consent::wrong_code_message(2).zh.contains("2次"));
    assert_eq!(
        consent::wrong_code_message(0),
        ConsentError::Locked.message()
    );
}

#[test]
fn the_texts_name_the_agent_what_and_the_code() {
    let t = consent::request_sms("张伟（儿子）", "退休", "123456");
    assert!(t.contains("张伟（儿子）") && t.contains("退休") && t.contains("123456"));
    assert!(t.contains("10分钟"));
}

#[test]
fn the_acted_by_label_names_the_agent_as_the_principal_knows_them() {
    let a = api::ActedBy::new(
        "张伟",
        Some(true),
        "王秀英",
        Some(false),
        Relationship::Child,
        api::Basis::Delegation,
    );
    assert_eq!(a.label.zh, "由 张伟（儿子）代办");
    assert_eq!(a.for_principal.zh, "为 母亲 王秀英 办理");
    let is = Relationship::Child.inverse().word(Some(false));
    assert_eq!(api::banner(&is, "王秀英").zh, "正在为 母亲 王秀英 办理");
    let scope = Scope::Events {
        events: vec!["retirement".into(), "social-security-card".into()],
    };
    assert_eq!(
        api::scope_text(Catalog::embedded(), &scope).zh,
        "退休、社会保障卡居民服务"
    );
}
