use super::*;
use crate::catalog::Catalog;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 12, 1);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

fn rules() -> &'static PolicyRules {
    PolicyRules::embedded()
}

fn member(sub: &str, name: &str, relation: Relation, birth: NaiveDate) -> HouseholdMember {
    HouseholdMember {
        sub: sub.into(),
        name: name.into(),
        relation,
        birth_date: birth,
        disabled: false,
        id_number: None,
    }
}

/// A resident (a man born 1990, nowhere near retirement) and a household.
fn facts(members: Vec<HouseholdMember>) -> Facts {
    let mut all = vec![member("r-me", "刘洋", Relation::Myself, d(1990, 5, 4))];
    all.extend(members);
    Facts {
        resident: ResidentFacts {
            sub: "r-me".into(),
            name: "刘洋".into(),
            id_number: IdNumber::compose("110105", d(1990, 5, 4), 17),
        },
        household: Some(Household {
            household_id: "h".into(),
            members: all,
        }),
        certificates: BTreeMap::new(),
    }
}

fn certificate(kind: &str, holder: &str, id_number: &str) -> Certificate {
    Certificate {
        kind: kind.into(),
        number: "N1".into(),
        holder_name: holder.into(),
        holder_id_number: id_number.into(),
        issuer: "发证机关".into(),
        issued_on: d(2025, 1, 1),
        fields: BTreeMap::new(),
    }
}

fn application(event: &str, finished: bool, fields: &[(&str, &str)]) -> ApplicationFact {
    ApplicationFact {
        event_id: event.into(),
        finished,
        withdrawn: false,
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

fn run(f: &Facts, apps: &[ApplicationFact]) -> Vec<Offer> {
    offers(rules(), f, apps, today(), &OfferSettings::default())
}

fn events(offers: &[Offer]) -> Vec<&str> {
    offers.iter().map(|o| o.event_id.as_str()).collect()
}

fn baby() -> HouseholdMember {
    member("r-baby", "刘小禾", Relation::Child, d(2025, 10, 8))
}

#[test]
fn the_embedded_rules_agree_with_the_catalog() {
    let problems = lint(rules(), Catalog::embedded().data());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(rules().policy.iter().all(|r| !r.sources.is_empty()));
}

#[test]
fn a_child_under_three_in_the_household_brings_the_childcare_subsidy_prefilled() {
    let mut f = facts(vec![baby()]);
    let baby_id = IdNumber::compose("110105", d(2025, 10, 8), 20);
    f.certificates.insert(
        "r-baby".into(),
        vec![certificate("household-register", "刘小禾", &baby_id)],
    );
    let out = run(&f, &[]);
    assert_eq!(events(&out), ["childcare-subsidy"]);
    let o = &out[0];
    assert_eq!(o.headline.zh, "您可能可以领取：育儿补贴 每年3600元");
    assert!(o.based_on[0].zh.contains("刘小禾") && o.based_on[0].zh.contains("2025年10月8日"));
    assert!(o.based_on[0].en.contains("2025-10-08"));
    assert_eq!(o.prefill.fields["child.name"], "刘小禾");
    assert_eq!(o.prefill.fields["child.id_number"], baby_id);
    assert_eq!(
        o.prefill.answers["child-birth-date"],
        Answer::Text("2025-10-08".into())
    );
    assert_eq!(o.prefill.answers["has-hukou"], Answer::Bool(true));
    assert!(o.sources.iter().any(|s| s.issuer.contains("SCIO")));
    // The id names no one in the clear, and is the same next time.
    assert!(o.id.starts_with("childcare-subsidy:") && !o.id.contains("刘"));
    assert_eq!(run(&f, &[])[0].id, o.id);
}

#[test]
fn the_childcare_offer_ends_on_the_third_birthday() {
    for (birth, offered) in [
        (d(2023, 12, 2), true),  // three tomorrow
        (d(2023, 12, 1), false), // three today
        (d(2023, 6, 1), false),
        (today(), true), // born today
    ] {
        let f = facts(vec![member("r-baby", "刘小禾", Relation::Child, birth)]);
        assert_eq!(!run(&f, &[]).is_empty(), offered, "born {birth}");
    }
}

#[test]
fn only_the_residents_own_children_count_for_the_childcare_subsidy() {
    // A grandchild or a nephew under three is their parents' claim.
    for relation in [Relation::Grandchild, Relation::Other, Relation::Sibling] {
        let f = facts(vec![member("r-x", "小朋友", relation, d(2025, 3, 1))]);
        assert!(run(&f, &[]).is_empty(), "{relation:?}");
    }
}

#[test]
fn a_claim_for_that_child_removes_the_offer_but_not_for_another_child() {
    let f = facts(vec![
        baby(),
        member("r-baby2", "刘小苗", Relation::Child, d(2024, 8, 1)),
    ]);
    let claimed = application("childcare-subsidy", false, &[("child.name", "刘小禾")]);
    let out = run(&f, std::slice::from_ref(&claimed));
    assert_eq!(out.len(), 1);
    assert!(out[0].based_on[0].zh.contains("刘小苗"));
    // A withdrawn application claims nothing.
    let withdrawn = ApplicationFact {
        withdrawn: true,
        ..claimed
    };
    assert_eq!(run(&f, &[withdrawn]).len(), 2);
}

#[test]
fn a_finished_newborn_application_brings_the_childcare_subsidy_filled_from_its_form() {
    // The baby is not (yet) in the household data the platform returned.
    let f = facts(vec![]);
    let newborn = application(
        "newborn",
        true,
        &[("child.name", "王小满"), ("child.birth_date", "2026-10-20")],
    );
    let out = run(&f, std::slice::from_ref(&newborn));
    assert_eq!(events(&out), ["childcare-subsidy"]);
    assert_eq!(out[0].rules, ["childcare-subsidy-after-newborn"]);
    assert_eq!(out[0].prefill.fields["child.name"], "王小满");
    assert_eq!(
        out[0].prefill.answers["child-birth-date"],
        Answer::Text("2026-10-20".into())
    );
    assert!(out[0].based_on[0].zh.contains("新生儿出生"));
    // Not for a child who is three by now.
    let older = application(
        "newborn",
        true,
        &[("child.name", "王大满"), ("child.birth_date", "2023-12-01")],
    );
    assert!(run(&f, &[older]).is_empty());
    let younger = application(
        "newborn",
        true,
        &[("child.name", "王大满"), ("child.birth_date", "2023-12-02")],
    );
    assert_eq!(run(&f, &[younger]).len(), 1);
    // Not before every item is finished.
    let running = ApplicationFact {
        finished: false,
        ..newborn
    };
    assert!(run(&f, &[running]).is_empty());
}

#[test]
fn the_same_child_found_twice_is_one_offer_with_both_reasons() {
    let f = facts(vec![baby()]);
    let newborn = application(
        "newborn",
        true,
        &[
            ("child.name", "刘小禾"),
            ("child.birth_date", "2025-10-08"),
            ("mother.name", "孙丽"),
        ],
    );
    let out = run(&f, &[newborn]);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(
        out[0].rules,
        [
            "childcare-subsidy-child-in-household",
            "childcare-subsidy-after-newborn"
        ]
    );
    assert_eq!(out[0].based_on.len(), 2);
}

#[test]
fn a_relative_with_a_disability_certificate_brings_the_disability_subsidies() {
    let mut aunt = member("r-aunt", "周桂兰", Relation::Parent, d(1962, 3, 9));
    aunt.disabled = true;
    let f = facts(vec![aunt]);
    let out = run(&f, &[]);
    assert_eq!(events(&out), ["disability"]);
    assert!(out[0]
        .headline
        .zh
        .starts_with("周桂兰可能可以申请：残疾人两项补贴"));
    assert_eq!(out[0].prefill.fields["person.name"], "周桂兰");
    assert_eq!(out[0].prefill.answers["has-cert"], Answer::Bool(true));
    assert_eq!(
        out[0].prefill.answers["cert-need"],
        Answer::Text("none".into())
    );
    // A released e-certificate says so too, and gives the ID number.
    let mut f = facts(vec![member(
        "r-aunt",
        "周桂兰",
        Relation::Parent,
        d(1962, 3, 9),
    )]);
    let id = IdNumber::compose("110105", d(1962, 3, 9), 42);
    f.certificates.insert(
        "r-aunt".into(),
        vec![certificate("disability-certificate", "周桂兰", &id)],
    );
    let out = run(&f, &[]);
    assert_eq!(out[0].prefill.fields["person.id_number"], id);
    // Applied already for her: nothing.
    let claim = application("disability", false, &[("person.name", "周桂兰")]);
    assert!(run(&f, &[claim]).is_empty());
}

/// A resident of sex `male` born on `birth`, alone.
fn alone(name: &str, birth: NaiveDate, male: bool) -> Facts {
    let mut f = facts(vec![]);
    f.resident.name = name.into();
    f.resident.id_number = IdNumber::compose("110105", birth, if male { 11 } else { 12 });
    f.household = None;
    f
}

#[test]
fn statutory_retirement_ages_follow_the_2024_decision_by_birth_month() {
    let line = |id: &str| rules().retirement_age.iter().find(|l| l.id == id).unwrap();
    let age = |id: &str, y, m| {
        let a = statutory_age(line(id), d(y, m, 15)).unwrap();
        (a.years, a.months)
    };
    // Men: 60 before the raise; from 1965-01 one month per four birth months, up to 63.
    assert_eq!(age("male-60", 1964, 12), (60, 0));
    assert_eq!(age("male-60", 1965, 1), (60, 1));
    assert_eq!(age("male-60", 1965, 4), (60, 1));
    assert_eq!(age("male-60", 1965, 5), (60, 2));
    assert_eq!(age("male-60", 1972, 9), (62, 0)); // the source's worked example
    assert_eq!(age("male-60", 1976, 8), (62, 11));
    assert_eq!(age("male-60", 1976, 9), (63, 0));
    assert_eq!(age("male-60", 1990, 1), (63, 0));
    // Women on the original 55 line: the same pace, up to 58.
    assert_eq!(age("female-55", 1969, 12), (55, 0));
    assert_eq!(age("female-55", 1970, 1), (55, 1));
    assert_eq!(age("female-55", 1981, 9), (58, 0));
    // Women on the original 50 line: one month per two birth months, up to 55.
    assert_eq!(age("female-50", 1974, 12), (50, 0));
    assert_eq!(age("female-50", 1975, 2), (50, 1));
    assert_eq!(age("female-50", 1975, 3), (50, 2));
    assert_eq!(age("female-50", 1984, 10), (54, 11));
    assert_eq!(age("female-50", 1984, 11), (55, 0));
    // "Due in 2025-01…04 under the old age, retire in 2025-02…05."
    assert_eq!(
        retirement_date(line("male-60"), d(1965, 3, 10)),
        Some(d(2025, 4, 10))
    );
    assert_eq!(
        retirement_date(line("male-60"), d(1965, 5, 31)),
        Some(d(2025, 7, 31))
    );
    // No such day in the target month: its last day.
    assert_eq!(
        retirement_date(line("male-60"), d(1965, 7, 31)),
        Some(d(2025, 9, 30))
    );
}

#[test]
fn retirement_is_offered_from_three_months_before_the_day_and_not_after_it() {
    // The birth date that retires on a given day, by the rule itself (tested
    // above against the source), so the window is what is tested here.
    let male = rules()
        .retirement_age
        .iter()
        .find(|l| l.id == "male-60")
        .unwrap();
    let birth_for = |retire: NaiveDate| {
        // Someone born in 1966 retires at 60 years 5 to 8 months.
        (0..400)
            .map(|k| d(1966, 1, 1) + chrono::Duration::days(k))
            .find(|b| retirement_date(male, *b) == Some(retire))
            .expect("a birth date for that day")
    };
    let cases = [
        (today(), true),
        (d(2027, 3, 1), true), // exactly three months ahead
        (d(2027, 3, 2), false),
        (d(2026, 11, 30), false), // yesterday: past, not "coming"
    ];
    for (retire, offered) in cases {
        let birth = birth_for(retire);
        let out = run(&alone("何军", birth, true), &[]);
        assert_eq!(!out.is_empty(), offered, "retires {retire}, born {birth}");
        if offered {
            assert_eq!(events(&out), ["retirement"]);
            assert!(
                out[0].headline.zh.contains(&chinese_date(retire)),
                "{}",
                out[0].headline.zh
            );
            assert!(out[0].based_on[0].zh.contains("男职工"));
        }
    }
    // A retirement application already made: nothing.
    let birth = birth_for(d(2027, 1, 15));
    let claim = application("retirement", false, &[]);
    assert!(run(&alone("何军", birth, true), &[claim]).is_empty());
}

#[test]
fn a_woman_is_offered_retirement_on_either_original_line_and_told_which() {
    let f50 = rules()
        .retirement_age
        .iter()
        .find(|l| l.id == "female-50")
        .unwrap();
    // Born 1976-05-20: 50 line, 1976-05 is 16 months after 1975-01 → 9 months' delay.
    let birth = d(1976, 5, 20);
    assert_eq!(retirement_date(f50, birth), Some(d(2027, 2, 20)));
    let out = run(&alone("孙丽", birth, false), &[]);
    assert_eq!(events(&out), ["retirement"]);
    assert!(out[0].based_on[0]
        .zh
        .contains("原法定退休年龄50周岁的女职工"));
    assert!(out[0].based_on[0].zh.contains("50周岁9个月"));
    // The same birth date for a man is years away.
    assert!(run(&alone("孙力", birth, true), &[]).is_empty());
}

#[test]
fn a_household_with_nothing_owed_gets_no_offer() {
    // A grown child, a parent without a certificate, a resident far from retirement.
    let f = facts(vec![
        member("r-son", "刘一", Relation::Child, d(2019, 2, 1)),
        member("r-mum", "刘母", Relation::Parent, d(1963, 7, 1)),
    ]);
    assert!(run(&f, &[]).is_empty());
    // No household data at all, no applications: nothing, and no panic.
    let mut f = facts(vec![]);
    f.household = None;
    assert!(run(&f, &[]).is_empty());
    // An ID number that does not parse: no retirement offer, no panic.
    f.resident.id_number = "not a number".into();
    assert!(run(&f, &[]).is_empty());
}

#[test]
fn a_dismissed_offer_stays_away_and_the_others_remain() {
    let mut aunt = member("r-aunt", "周桂兰", Relation::Parent, d(1962, 3, 9));
    aunt.disabled = true;
    let f = facts(vec![baby(), aunt]);
    let all = run(&f, &[]);
    assert_eq!(events(&all), ["childcare-subsidy", "disability"]);
    let settings = OfferSettings {
        off: false,
        dismissed: [all[0].id.clone()].into(),
    };
    let left = offers(rules(), &f, &[], today(), &settings);
    assert_eq!(events(&left), ["disability"]);
}

#[test]
fn offers_turned_off_compute_nothing() {
    let f = facts(vec![baby()]);
    let settings = OfferSettings {
        off: true,
        dismissed: BTreeSet::new(),
    };
    assert!(offers(rules(), &f, &[], today(), &settings).is_empty());
}

#[test]
fn settings_and_offers_travel_as_json() {
    let s: OfferSettings = serde_json::from_str("{}").unwrap();
    assert_eq!(s, OfferSettings::default());
    let out = run(&facts(vec![baby()]), &[]);
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json[0]["prefill"]["answers"]["has-hukou"], true);
    assert_eq!(serde_json::from_value::<Vec<Offer>>(json).unwrap(), out);
}

#[test]
fn a_broken_rule_is_reported_by_the_lint() {
    let mut bad = rules().clone();
    bad.policy[0].event = "no-such-event".into();
    bad.policy[1].prefill.push(PrefillRule {
        field: Some("child.nope".into()),
        answer: None,
        from: Some("person.shoe_size".into()),
        value: None,
    });
    bad.policy[2].when = When::Member(MemberCondition {
        relations: vec!["cousin".into()],
        under_age_years: None,
        holds: Some("no-such-cert".into()),
        reads: vec!["no-such-register".into()],
    });
    bad.policy[3].sources.push(99);
    let problems = lint(&bad, Catalog::embedded().data());
    for want in [
        "no event no-such-event",
        "no field child.nope",
        "unknown fact person.shoe_size",
        "no relation cousin",
        "no-such-cert",
        "reads: no e-certificate type no-such-register",
        "no source 99",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "{want}: {problems:#?}"
        );
    }
}

#[test]
fn only_the_certificates_a_rule_needs_are_read_and_only_of_members_it_could_find() {
    let mut grandma = member("r-gran", "周桂兰", Relation::Parent, d(1962, 3, 9));
    grandma.disabled = true;
    let grown = member("r-son", "刘一", Relation::Child, d(2019, 2, 1));
    let f = facts(vec![baby(), grown, grandma]);
    let reads = certificate_reads(rules(), f.household.as_ref().unwrap(), today());
    let read = |sub: &str, purpose: &str| {
        reads
            .iter()
            .find(|r| r.sub == sub && r.purpose == purpose)
            .map(|r| r.kinds.clone())
    };
    // The child under three: the 户口簿 (for the ID number) and, as anyone,
    // the disability certificate; the grown child is asked only about that.
    assert_eq!(
        read("r-baby", "childcare-subsidy"),
        Some(vec!["household-register".to_string()])
    );
    assert_eq!(read("r-son", "childcare-subsidy"), None);
    assert_eq!(
        read("r-gran", "disability"),
        Some(vec!["disability-certificate".to_string()])
    );
    // Nothing for a purpose no rule offers, nothing twice.
    assert!(reads
        .iter()
        .all(|r| ["childcare-subsidy", "disability"].contains(&r.purpose.as_str())));
    let mut keys: Vec<_> = reads.iter().map(|r| (&r.sub, &r.purpose)).collect();
    keys.dedup();
    assert_eq!(keys.len(), reads.len());
}

#[test]
fn an_offer_id_is_its_event_and_sixteen_hex_digits() {
    let out = run(&facts(vec![baby()]), &[]);
    assert!(is_offer_id(&out[0].id), "{}", out[0].id);
    for bad in [
        "",
        "childcare-subsidy",
        "childcare-subsidy:",
        "childcare-subsidy:0123456789abcdeg",
        "childcare-subsidy:0123456789ABCDEF",
        "Childcare:0123456789abcdef",
        ":0123456789abcdef",
        "a:b:0123456789abcdef",
    ] {
        assert!(!is_offer_id(bad), "{bad}");
    }
}
