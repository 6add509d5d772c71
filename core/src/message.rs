//! Rendering the catalog's message templates for an item status change.

use chrono::{DateTime, FixedOffset, Utc};

use crate::api::CorrectionPoint;
use crate::calendar::Due;
use crate::catalog::{Delivery, Item, MessageTemplate, Text};
use crate::status::ItemStatus;

/// Everything a template may mention.
pub struct MessageContext<'a> {
    pub item: &'a Item,
    pub department: &'a Text,
    pub at: DateTime<Utc>,
    pub due: Option<Due>,
    pub corrections: &'a [CorrectionPoint],
    pub reason: Option<&'a Text>,
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
                if zh {
                    format!(
                        "{}. {}：{}。怎么改：{}",
                        i + 1,
                        c.target,
                        c.reason.zh,
                        c.fix.zh
                    )
                } else {
                    format!(
                        "{}. {}: {}. How to fix: {}",
                        i + 1,
                        c.target,
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

#[cfg(test)]
mod tests;
