//! Validators on real-world numbers: the GB 11643 standard's own examples,
//! published company credit codes, well-known test card numbers.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::catalog::{Field, FieldKind, Text};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn field(kind: FieldKind) -> Field {
    Field {
        key: "x.y".into(),
        label: Text::new("测试项", "Test field"),
        kind,
        required: true,
        items: vec!["i".into()],
        prefill: None,
        help: None,
        not_future: false,
        min_age_years: None,
        max_age_years: None,
        options: vec![],
        max_chars: None,
        source: None,
    }
}

#[test]
fn id_numbers_from_the_standard_are_valid() {
    for ok in [
        "11010519491231002X",
        "440524188001010014",
        "110101199003074514",
        "11010519491231002x",
    ] {
        let id = IdNumber::parse(ok, today()).unwrap_or_else(|e| panic!("{ok}: {}", e.en));
        assert_eq!(id.as_ref(), ok.to_ascii_uppercase());
    }
    let id = IdNumber::parse("110101199003074514", today()).unwrap();
    assert_eq!(
        id.birth_date(),
        NaiveDate::from_ymd_opt(1990, 3, 7).unwrap()
    );
    assert!(id.is_male());
    assert!(!IdNumber::parse("11010519491231002X", today())
        .unwrap()
        .is_male());
}

#[test]
fn id_numbers_with_a_wrong_check_birth_or_region_are_refused_with_the_reason() {
    let why = |s: &str| IdNumber::parse(s, today()).unwrap_err().zh;
    assert!(why("110101199003074510").contains("校验位"));
    assert!(
        why("110101199002304514").contains("出生日期"),
        "30 February"
    );
    assert!(
        why("110101203001014514").contains("出生日期"),
        "born in 2030"
    );
    assert!(why("990101199003074514").contains("地区码"));
    assert!(why("32031177070600").contains("18位"), "old 15-digit style");
    assert!(why("11010519491231002Y").contains("18位"));
    assert!(
        why("１１０１０５１９４９１２３１００２X").contains("18位"),
        "full-width digits"
    );
}

#[test]
fn credit_codes_of_real_companies_are_valid() {
    for ok in [
        "91440300708461136T",
        "9144030071526726XG",
        "91350100M000100Y43",
        "91110000600037341l",
    ] {
        assert!(CreditCode::parse(ok).is_ok(), "{ok}");
    }
}

#[test]
fn credit_codes_with_bad_characters_or_check_are_refused() {
    let why = |s: &str| CreditCode::parse(s).unwrap_err().zh;
    assert!(why("91440300708461136A").contains("校验位"));
    assert!(why("9144030070846113IT").contains("不含I"));
    assert!(why("91440300708461136").contains("18位"));
    assert!(why("91AB0300708461136T").contains("地区码"));
}

#[test]
fn mobiles_accept_common_spellings_and_refuse_landlines() {
    for (raw, norm) in [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086-199-1234-5678", "19912345678"),
    ] {
        assert_eq!(Mobile::parse(raw).unwrap().as_ref(), norm);
    }
    for bad in [
        "12800138000",
        "1380013800",
        "010-12345678",
        "138001380001",
        "1380013800a",
        "",
    ] {
        assert!(Mobile::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn chinese_names_allow_the_interpunct_and_normalise_look_alikes() {
    assert_eq!(PersonName::parse("张三").unwrap().as_ref(), "张三");
    assert_eq!(
        PersonName::parse("买买提•艾力").unwrap().as_ref(),
        "买买提·艾力"
    );
    assert_eq!(
        PersonName::parse(" 欧阳娜娜 ").unwrap().as_ref(),
        "欧阳娜娜"
    );
    for bad in [
        "张",
        "Zhang San",
        "张三1",
        "·张三",
        "张三·",
        "买买提··艾力",
        "张 三",
    ] {
        assert!(PersonName::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn bank_cards_pass_luhn() {
    assert!(BankCard::parse("6222 0212 3456 7890 128").is_ok());
    assert!(BankCard::parse("6228480402564890018").is_ok());
    assert!(BankCard::parse("4111111111111111").is_ok());
    assert!(BankCard::parse("6222021234567890123")
        .unwrap_err()
        .zh
        .contains("卡号有误"));
    assert!(BankCard::parse("12345")
        .unwrap_err()
        .zh
        .contains("12到19位"));
}

#[test]
fn field_errors_name_the_field_in_both_languages() {
    let mut f = field(FieldKind::Mobile);
    f.label = Text::new("手机号码", "Mobile number");
    let e = validate_field(&f, "123", today()).unwrap_err();
    assert_eq!(e.field, "x.y");
    assert!(e.message.zh.starts_with("「手机号码」"), "{}", e.message.zh);
    assert!(e.message.en.starts_with("Mobile number:"));
    let e = validate_field(&f, "   ", today()).unwrap_err();
    assert!(e.message.zh.contains("还没有填写"));
}

#[test]
fn dates_respect_not_future_and_age_ranges() {
    let mut f = field(FieldKind::Date);
    f.not_future = true;
    assert!(validate_field(&f, "2026-11-23", today()).is_err());
    assert_eq!(
        validate_field(&f, "2026-11-22", today()).unwrap(),
        "2026-11-22"
    );
    assert!(validate_field(&f, "2026-02-30", today()).is_err());
    assert!(validate_field(&f, "22/11/2026", today()).is_err());
    f.min_age_years = Some(6);
    f.max_age_years = Some(15);
    assert!(
        validate_field(&f, "2020-11-22", today()).is_ok(),
        "six today"
    );
    assert!(validate_field(&f, "2020-11-23", today())
        .unwrap_err()
        .message
        .zh
        .contains("不小于6"));
    assert!(validate_field(&f, "2010-11-21", today())
        .unwrap_err()
        .message
        .zh
        .contains("不大于15"));
}

#[test]
fn free_text_is_limited_and_choices_must_be_options() {
    let mut f = field(FieldKind::Address);
    f.max_chars = Some(5);
    assert!(validate_field(&f, "北京市东城区", today())
        .unwrap_err()
        .message
        .zh
        .contains("最多5个字"));
    let mut c = field(FieldKind::Choice);
    c.options = vec![crate::catalog::Choice {
        value: "a".into(),
        text: Text::new("甲", "A"),
    }];
    assert!(validate_field(&c, "a", today()).is_ok());
    assert!(validate_field(&c, "b", today()).is_err());
}

#[test]
fn a_form_reports_every_error_at_once_and_skips_empty_optional_fields() {
    let phone = field(FieldKind::Mobile);
    let mut name = field(FieldKind::Name);
    name.key = "a.name".into();
    let mut note = field(FieldKind::Text);
    note.key = "a.note".into();
    note.required = false;
    let values = [
        ("x.y".to_string(), "1".to_string()),
        ("a.name".to_string(), "x".to_string()),
    ]
    .into();
    let errs = validate_form(&[&phone, &name, &note], &values, today()).unwrap_err();
    assert_eq!(errs.len(), 2);
}

proptest! {
    #[test]
    fn no_input_makes_a_validator_panic(s in "\\PC{0,40}") {
        for kind in [FieldKind::IdNumber, FieldKind::CreditCode, FieldKind::Mobile, FieldKind::Name,
                     FieldKind::BankCard, FieldKind::Date, FieldKind::Number, FieldKind::Text, FieldKind::Address] {
            let _ = validate_field(&field(kind), &s, today());
        }
    }

    #[test]
    fn any_id_with_a_computed_check_char_and_real_birth_date_is_valid(
        seq in 0u32..1000, days in 0i64..40000, region in prop::sample::select(vec!["110101", "440305", "650102", "810000"])
    ) {
        let birth = NaiveDate::from_ymd_opt(1910, 1, 1).unwrap() + chrono::Duration::days(days);
        prop_assume!(birth <= today());
        let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let check = super::id_number::check_char(first17.as_bytes()) as char;
        let id = format!("{first17}{check}");
        prop_assert!(IdNumber::parse(&id, today()).is_ok(), "{}", id);
        // Any single wrong check character is caught.
        let wrong = if check == '0' { '1' } else { '0' };
        let bad = format!("{first17}{wrong}");
        prop_assert!(IdNumber::parse(&bad, today()).is_err());
    }

    #[test]
    fn a_single_digit_typo_in_a_card_number_is_caught(pos in 0usize..19, delta in 1u8..10) {
        let good = b"6228480402564890018".to_vec();
        let mut bad = good.clone();
        bad[pos] = b'0' + (bad[pos] - b'0' + delta) % 10;
        prop_assert!(BankCard::parse(std::str::from_utf8(&bad).unwrap()).is_err());
    }
}
