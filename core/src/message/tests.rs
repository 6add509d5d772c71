//! Rendered messages say what happened and what it means, per status.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::api::CorrectionPoint;
use crate::calendar::Due;
use crate::catalog::{Catalog, Delivery, Item, Text};
use crate::status::{ItemStatus, ALL_STATUSES};

fn item(delivery: Vec<Delivery>, produces_card: bool) -> Item {
    Item {
        id: "ssc-apply".into(),
        name: Text::new("社会保障卡申领", "Apply for a social security card"),
        department: "hrss".into(),
        applies_when: None,
        time_limit_working_days: Some(5),

        time_limit_source: Some(0),
        time_limit_note: None,
        fee: Text::new("免费", "Free"),
        delivery,
        produces_card,
        materials: vec![],
        source: None,
    }
}

fn render_for(
    status: ItemStatus,
    item: &Item,
    due: Option<Due>,
    corrections: &[CorrectionPoint],
) -> (Text, Text) {
    let dept = Text::new("人社部门", "HRSS");
    let ctx = MessageContext {
        item,
        department: &dept,
        // 02:30 UTC is 10:30 in Beijing.
        at: Utc.with_ymd_and_hms(2026, 11, 23, 2, 30, 0).unwrap(),
        due,
        corrections,
        reason: None,
        fields: &[],
    };
    render(Catalog::embedded().messages(), status, &ctx).expect("a template for every status")
}

#[test]
fn every_status_has_a_template_with_no_placeholder_left() {
    let it = item(vec![Delivery::Pickup], true);
    for s in ALL_STATUSES {
        let (title, body) = render_for(s, &it, None, &[]);
        for t in [&title.zh, &title.en, &body.zh, &body.en] {
            assert!(!t.contains('{') && !t.contains('}'), "{s:?}: {t}");
        }
    }
}

#[test]
fn accepted_states_the_time_limit_the_expected_date_and_that_it_is_not_done() {
    let due = Due {
        due: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        estimated: false,
    };
    let (title, body) = render_for(
        ItemStatus::Accepted,
        &item(vec![Delivery::Post], true),
        Some(due),
        &[],
    );
    assert_eq!(title.zh, "已受理");
    assert!(body.zh.contains("5个工作日"), "{}", body.zh);
    assert!(body.zh.contains("2026年11月30日"));
    assert!(body.zh.contains("受理不等于办结"));
    assert!(
        body.zh.contains("2026年11月23日 10:30"),
        "Beijing time: {}",
        body.zh
    );
    assert!(body.en.contains("2026-11-30"));
}

#[test]
fn an_estimated_due_date_says_it_is_an_estimate() {
    let due = Due {
        due: NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(),
        estimated: true,
    };
    let (_, body) = render_for(
        ItemStatus::Accepted,
        &item(vec![Delivery::Electronic], false),
        Some(due),
        &[],
    );
    assert!(body.zh.contains("估算"), "{}", body.zh);
    assert!(body.en.contains("estimate"));
}

#[test]
fn approved_produced_posted_and_delivered_read_differently() {
    let card = item(vec![Delivery::Post], true);
    let texts: Vec<String> = [
        ItemStatus::Approved,
        ItemStatus::Producing,
        ItemStatus::Posted,
        ItemStatus::Delivered,
    ]
    .into_iter()
    .map(|s| render_for(s, &card, None, &[]).1.zh)
    .collect();
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert!(
        texts[0].contains("还需要制作"),
        "approved with a card to come: {}",
        texts[0]
    );
    let pickup = render_for(
        ItemStatus::Approved,
        &item(vec![Delivery::Pickup], true),
        None,
        &[],
    )
    .1
    .zh;
    assert!(pickup.contains("现在还不能去领"));
    let electronic = render_for(
        ItemStatus::Approved,
        &item(vec![Delivery::Electronic], false),
        None,
        &[],
    )
    .1
    .zh;
    assert!(!electronic.contains("制作"));
}

#[test]
fn a_correction_lists_each_point_with_reason_and_fix() {
    let points = [
        CorrectionPoint {
            target: "本人近期免冠彩色照片".into(),
            reason: Text::new("照片背景不是白色", "background is not white"),
            fix: Text::new(
                "请上传白色背景的证件照",
                "upload a photo with a white background",
            ),
        },
        CorrectionPoint {
            target: "邮寄地址".into(),
            reason: Text::new("缺少门牌号", "house number missing"),
            fix: Text::new("请补充门牌号", "add the house number"),
        },
    ];
    let (_, body) = render_for(
        ItemStatus::CorrectionRequired,
        &item(vec![Delivery::Post], true),
        None,
        &points,
    );
    assert!(
        body.zh
            .contains("1. 本人近期免冠彩色照片：照片背景不是白色。怎么改：请上传白色背景的证件照"),
        "{}",
        body.zh
    );
    assert!(body.zh.contains("2. 邮寄地址"));
    assert!(body.en.contains("How to fix: add the house number"));
}

#[test]
fn an_item_without_a_sourced_time_limit_invents_no_date() {
    let mut it = item(vec![Delivery::Electronic], false);
    it.time_limit_working_days = None;
    let (_, body) = render_for(ItemStatus::Accepted, &it, None, &[]);
    assert!(body.zh.contains("以当地规定为准"), "{}", body.zh);
    assert!(!body.zh.contains("工作日内"));
}

#[test]
fn every_notice_has_a_template_with_no_placeholder_left() {
    let it = item(vec![Delivery::Pickup], true);
    let dept = Text::new("人社部门", "HRSS");
    let due = NaiveDate::from_ymd_opt(2026, 11, 30);
    let notices = [
        Notice::RelayHeld {
            until: Utc.with_ymd_and_hms(2026, 11, 23, 4, 0, 0).unwrap(),
            notice: Text::new("系统升级", "system upgrade"),
        },
        Notice::Late(crate::sla::Lateness::NotAcceptedInTime),
        Notice::Late(crate::sla::Lateness::PastDue),
    ];
    assert_eq!(notices.clone().map(|n| n.id()), NOTICE_IDS);
    for n in &notices {
        let (title, body) = render_notice(Catalog::embedded().notices(), n, &it.name, &dept, due)
            .unwrap_or_else(|| panic!("no template for {}", n.id()));
        for t in [&title.zh, &title.en, &body.zh, &body.en] {
            assert!(!t.contains('{') && !t.contains('}'), "{}: {t}", n.id());
        }
    }
    // The hold says when the department is back, in Beijing time.
    let (_, body) = render_notice(
        Catalog::embedded().notices(),
        &notices[0],
        &it.name,
        &dept,
        None,
    )
    .unwrap();
    assert!(body.zh.contains("11月23日 12:00"), "{}", body.zh);
    assert!(body.zh.contains("系统升级"));
    let (_, body) = render_notice(
        Catalog::embedded().notices(),
        &notices[2],
        &it.name,
        &dept,
        due,
    )
    .unwrap();
    assert!(body.zh.contains("2026年11月30日"), "{}", body.zh);
}

#[test]
fn sms_text_is_signed_and_bounded() {
    let short = sms_text(
        &Text::new("已受理", "Accepted"),
        &Text::new("人社部门已受理。", "x"),
    );
    assert_eq!(short, "【办事】已受理：人社部门已受理。");
    let long = sms_text(
        &Text::new("需要补正", ""),
        &Text::new("很".repeat(1000), ""),
    );
    assert_eq!(long.chars().count(), 300);
    assert!(long.ends_with("详情请打开办事查看"));
}

#[test]
fn a_correction_names_the_material_or_field_it_targets_in_words() {
    let mut it = item(vec![Delivery::Pickup], true);
    it.materials = Catalog::embedded()
        .event("social-security-card")
        .unwrap()
        .item("ssc-apply")
        .unwrap()
        .materials
        .clone();
    let point = |target: &str| CorrectionPoint {
        target: target.into(),
        reason: Text::new("看不清", "not legible"),
        fix: Text::new("重拍", "retake"),
    };
    let (_, body) = render_for(
        ItemStatus::CorrectionRequired,
        &it,
        None,
        &[point("material:photo"), point("窗口说明")],
    );
    assert!(body.zh.contains("1. 白底免冠电子照片"), "{}", body.zh);
    assert!(!body.zh.contains("material:"), "{}", body.zh);
    assert!(body.zh.contains("2. 窗口说明"), "{}", body.zh);
}

#[test]
fn the_promise_text_names_the_item_material_and_department() {
    let t = promise_text(
        Catalog::embedded().notices(),
        &Text::new("退休申请", "Retirement"),
        &Text::new("独生子女证明", "One-child certificate"),
        &Text::new("人社部门", "HRSS"),
    )
    .unwrap();
    assert!(t.zh.contains("「退休申请」对「独生子女证明」"), "{}", t.zh);
    assert!(t.zh.contains("人社部门会核查"), "{}", t.zh);
    assert!(t.en.contains("One-child certificate") && !t.en.contains('{'));
}
