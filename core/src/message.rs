//! Rendering the catalog's message templates: one per item status change,
//! plus notices (maintenance holds, lateness) and the SMS text of either.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::api::{CorrectionPoint, CorrectionTarget};
use crate::calendar::Due;
use crate::catalog::{Delivery, Field, Item, MessageTemplate, NoticeTemplate, Text};
use crate::sla::Lateness;
use crate::status::ItemStatus;

/// Everything a template may mention.
pub struct MessageContext<'a> {
    pub item: &'a Item,
    pub department: &'a Text,
    pub at: DateTime<Utc>,
    pub due: Option<Due>,
    pub corrections: &'a [CorrectionPoint],
    pub reason: Option<&'a Text>,
    /// The event's fields, to name a `field:<key>` correction target.
    pub fields: &'a [Field],
}

/// What a correction point is about, in the resident's words: the
/// material's or field's name for `material:`/`field:` targets.
fn target_name(c: &CorrectionPoint, item: &Item, fields: &[Field]) -> Text {
    match c.target() {
        CorrectionTarget::Material(id) => item
            .materials
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone()),
        CorrectionTarget::Field(key) => fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label.clone()),
        CorrectionTarget::Other(_) => None,
    }
    .unwrap_or_else(|| Text::new(&c.target, &c.target))
}

/// Times are shown in Beijing time, whatever the device's zone.
pub fn china_time(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8 is valid"))
}

/// The delivery that decides the wording after approval: a physical result wins.
fn physical_delivery(item: &Item) -> Option<Delivery> {
    if item.delivery.contains(&Delivery::Post) && item.produces_card {
        Some(Delivery::Post)
    } else if item.delivery.contains(&Delivery::Pickup) {
        Some(Delivery::Pickup)
    } else if item.delivery.contains(&Delivery::Post) {
        Some(Delivery::Post)
    } else {
        None
    }
}

/// The time-limit sentence: committed limit and expected date, or "set locally".
fn deadline(limit: Option<u32>, due: Option<Due>, zh: bool) -> String {
    let note = match due {
        Some(d) if d.estimated && zh => "（该年度节假日安排尚未公布，日期为估算）",
        Some(d) if d.estimated => " (an estimate: that year's holidays are not yet published)",
        _ => "",
    };
    match (limit, due, zh) {
        (Some(n), Some(d), true) => format!(
            "承诺在{n}个工作日内办结，预计{}前{note}",
            d.due.format("%Y年%-m月%-d日")
        ),
        (Some(n), Some(d), false) => format!(
            "the committed time limit is {n} working days, expected by {}{note}",
            d.due.format("%Y-%m-%d")
        ),
        (Some(n), None, true) => format!("承诺在{n}个工作日内办结，从受理之日起计算"),
        (Some(n), None, false) => {
            format!("the committed time limit is {n} working days from acceptance")
        }
        (None, _, true) => "办结时限以当地规定为准，有进展会马上告诉您".to_owned(),
        (None, _, false) => {
            "the time limit is set locally; we will tell you as soon as there is progress"
                .to_owned()
        }
    }
}

/// Title and body for `status`, or `None` if the catalog has no template for it.
pub fn render(
    templates: &[MessageTemplate],
    status: ItemStatus,
    ctx: &MessageContext,
) -> Option<(Text, Text)> {
    let delivery = physical_delivery(ctx.item);
    let pick = templates
        .iter()
        .filter(|t| t.status == status.as_str())
        .find(|t| t.delivery.is_some() && t.delivery == delivery)
        .or_else(|| {
            templates
                .iter()
                .find(|t| t.status == status.as_str() && t.delivery.is_none())
        })?;
    let at = china_time(ctx.at);
    let fill = |s: &str, zh: bool| -> String {
        let pick = |t: &Text| if zh { t.zh.clone() } else { t.en.clone() };
        let deadline = deadline(ctx.item.time_limit_working_days, ctx.due, zh);
        let corrections = ctx
            .corrections
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let target = target_name(c, ctx.item, ctx.fields);
                if zh {
                    format!(
                        "{}. {}：{}。怎么改：{}",
                        i + 1,
                        target.zh,
                        c.reason.zh,
                        c.fix.zh
                    )
                } else {
                    format!(
                        "{}. {}: {}. How to fix: {}",
                        i + 1,
                        target.en,
                        c.reason.en,
                        c.fix.en
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        s.replace("{item}", &pick(&ctx.item.name))
            .replace("{department}", &pick(ctx.department))
            .replace("{deadline}", &deadline)
            .replace(
                "{at}",
                &if zh {
                    at.format("%Y年%-m月%-d日 %H:%M").to_string()
                } else {
                    at.format("%Y-%m-%d %H:%M").to_string()
                },
            )
            .replace("{corrections}", &corrections)
            .replace(
                "{reason}",
                &ctx.reason.map(pick).unwrap_or_else(|| {
                    if zh {
                        "未说明".into()
                    } else {
                        "not given".into()
                    }
                }),
            )
    };
    Some((
        Text::new(fill(&pick.title.zh, true), fill(&pick.title.en, false)),
        Text::new(fill(&pick.body.zh, true), fill(&pick.body.en, false)),
    ))
}

/// A notice that is not a status change (see `[[notice]]` in messages.toml).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The relay waits for an announced maintenance window to end.
    RelayHeld { until: DateTime<Utc>, notice: Text },
    /// The SLA watchdog found the item late.
    Late(Lateness),
}

impl Notice {
    pub fn id(&self) -> &'static str {
        match self {
            Notice::RelayHeld { .. } => "relay_held",
            Notice::Late(l) => l.as_str(),
        }
    }
}

/// Every notice kind, for the lint-like test that each has a template.
pub const NOTICE_IDS: [&str; 3] = ["relay_held", "not_accepted_in_time", "past_due"];

/// Title and body for a notice about the item named `item`; `due` is the
/// item's due date.
pub fn render_notice(
    templates: &[NoticeTemplate],
    notice: &Notice,
    item: &Text,
    department: &Text,
    due: Option<NaiveDate>,
) -> Option<(Text, Text)> {
    let t = templates.iter().find(|t| t.id == notice.id())?;
    let fill = |s: &str, zh: bool| -> String {
        let pick = |t: &Text| if zh { t.zh.clone() } else { t.en.clone() };
        let (until, announced) = match notice {
            Notice::RelayHeld { until, notice } => {
                let at = china_time(*until);
                let until = if zh {
                    at.format("%-m月%-d日 %H:%M").to_string()
                } else {
                    at.format("%Y-%m-%d %H:%M").to_string()
                };
                (until, pick(notice))
            }
            Notice::Late(_) => (String::new(), String::new()),
        };
        let due = due
            .map(|d| {
                if zh {
                    d.format("%Y年%-m月%-d日").to_string()
                } else {
                    d.format("%Y-%m-%d").to_string()
                }
            })
            .unwrap_or_default();
        s.replace("{item}", &pick(item))
            .replace("{department}", &pick(department))
            .replace("{due}", &due)
            .replace("{until}", &until)
            .replace("{notice}", &announced)
    };
    Some((
        Text::new(fill(&t.title.zh, true), fill(&t.title.en, false)),
        Text::new(fill(&t.body.zh, true), fill(&t.body.en, false)),
    ))
}

/// The 告知承诺 the resident reads in full and signs instead of a material
/// (`[[notice]] id = "promise"`): the same words on the phone and at the
/// department. `None` when the catalog has no promise template.
pub fn promise_text(
    templates: &[NoticeTemplate],
    item: &Text,
    material: &Text,
    department: &Text,
) -> Option<Text> {
    let t = templates.iter().find(|t| t.id == "promise")?;
    let fill = |s: &str, zh: bool| {
        let pick = |t: &Text| if zh { t.zh.clone() } else { t.en.clone() };
        s.replace("{item}", &pick(item))
            .replace("{material}", &pick(material))
            .replace("{department}", &pick(department))
    };
    Some(Text::new(fill(&t.body.zh, true), fill(&t.body.en, false)))
}

/// The text message sent for an inbox entry. Plain, signed with the app's
/// name as carriers require, and never carrying an ID number or address:
/// the details stay behind sign-in.
pub fn sms_text(title: &Text, body: &Text) -> String {
    const MAX_CHARS: usize = 300;
    let mut text = format!("【办事】{}：{}", title.zh, body.zh);
    const MORE: &str = "…详情请打开办事查看";
    if text.chars().count() > MAX_CHARS {
        text = text
            .chars()
            .take(MAX_CHARS - MORE.chars().count())
            .collect::<String>()
            + MORE;
    }
    text
}

#[cfg(test)]
mod tests;
