//! Field validation for the merged form. Each fact type is parsed into its own
//! type (parse, don't validate); errors name the field and say, in Chinese and
//! English, what is wrong and how to write it. Nothing here panics on input.

mod bank_card;
mod credit_code;
mod id_number;
mod mobile;
mod person_name;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use bank_card::BankCard;
pub use credit_code::CreditCode;
pub use id_number::IdNumber;
pub use mobile::Mobile;
pub use person_name::PersonName;

use crate::catalog::{Field, FieldKind, Text};
use crate::guide::FieldValues;

/// A problem with one field, for the form and the API's `fields` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: Text,
}

/// The longest free text we accept when the catalog sets no limit.
pub const DEFAULT_MAX_CHARS: usize = 200;

fn labelled(field: &Field, why: Text) -> Text {
    Text::new(
        format!("「{}」{}", field.label.zh, why.zh),
        format!("{}: {}", field.label.en, why.en),
    )
}

/// Check one value against its field; `Ok` holds the normalised value
/// (trimmed, upper-cased check letters, spaces removed from numbers).
pub fn validate_field(field: &Field, raw: &str, today: NaiveDate) -> Result<String, FieldError> {
    let err = |why: Text| FieldError {
        field: field.key.clone(),
        message: labelled(field, why),
    };
    let value = raw.trim();
    if value.is_empty() {
        return Err(err(Text::new("还没有填写", "is required")));
    }
    let parsed = match field.kind {
        FieldKind::IdNumber => IdNumber::parse(value, today).map(|v| v.as_ref().to_owned()),
        FieldKind::CreditCode => CreditCode::parse(value).map(|v| v.as_ref().to_owned()),
        FieldKind::Mobile => Mobile::parse(value).map(|v| v.as_ref().to_owned()),
        FieldKind::Name => PersonName::parse(value).map(|v| v.as_ref().to_owned()),
        FieldKind::BankCard => BankCard::parse(value).map(|v| v.as_ref().to_owned()),
        FieldKind::Date => date(field, value, today),
        FieldKind::Number => value
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|_| value.to_owned())
            .ok_or_else(|| Text::new("应填写数字", "must be a number")),
        FieldKind::Choice => {
            if field.options.iter().any(|o| o.value == value) {
                Ok(value.to_owned())
            } else {
                Err(Text::new(
                    "请从给出的选项中选择",
                    "choose one of the options given",
                ))
            }
        }
        FieldKind::Text | FieldKind::Address => {
            let max = field.max_chars.unwrap_or(DEFAULT_MAX_CHARS);
            let n = value.chars().count();
            if n > max {
                Err(Text::new(
                    format!("太长了：最多{max}个字，现在是{n}个字"),
                    format!("is too long: at most {max} characters, you have {n}"),
                ))
            } else if value.chars().any(|c| c.is_control() && c != '\n') {
                Err(Text::new(
                    "含有无法识别的字符",
                    "contains characters that cannot be used",
                ))
            } else {
                Ok(value.to_owned())
            }
        }
    };
    parsed.map_err(err)
}

fn date(field: &Field, value: &str, today: NaiveDate) -> Result<String, Text> {
    let d = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        Text::new(
            "日期格式不对，请按“年-月-日”填写，例如 2024-03-08",
            "is not a date; write year-month-day, for example 2024-03-08",
        )
    })?;
    if field.not_future && d > today {
        return Err(Text::new("不能晚于今天", "cannot be in the future"));
    }
    let age = today.years_since(d).unwrap_or(0);
    if let Some(min) = field.min_age_years {
        if d > today || age < min {
            return Err(Text::new(
                format!("对应年龄应不小于{min}周岁"),
                format!("means an age under {min} years"),
            ));
        }
    }
    if let Some(max) = field.max_age_years {
        if age > max {
            return Err(Text::new(
                format!("对应年龄应不大于{max}周岁"),
                format!("means an age over {max} years"),
            ));
        }
    }
    Ok(d.format("%Y-%m-%d").to_string())
}

/// Validate every field of a merged form. Missing optional fields are fine;
/// values for fields not in `fields` are ignored by the caller's pruning.
/// All errors are returned at once, so the resident fixes them in one pass.
pub fn validate_form(
    fields: &[&Field],
    values: &FieldValues,
    today: NaiveDate,
) -> Result<FieldValues, Vec<FieldError>> {
    let mut ok = FieldValues::new();
    let mut errors = Vec::new();
    for f in fields {
        let raw = values.get(&f.key).map(String::as_str).unwrap_or("");
        if raw.trim().is_empty() && !f.required {
            continue;
        }
        match validate_field(f, raw, today) {
            Ok(v) => {
                ok.insert(f.key.clone(), v);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
