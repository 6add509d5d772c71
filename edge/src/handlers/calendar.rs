//! `GET /api/calendar/due?from=YYYY-MM-DD&working_days=N`

use banshi_core::catalog::Catalog;
use banshi_core::validate::FieldError;
use banshi_core::Text;
use chrono::NaiveDate;
use worker::{Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::http::json;

pub fn due(req: &Request, catalog: &Catalog) -> EdgeResult<Response> {
    let url = req.url()?;
    let param = |k: &str| {
        url.query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
    };
    let mut errors = Vec::new();
    let from = param("from").and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    if from.is_none() {
        errors.push(FieldError {
            field: "from".into(),
            message: Text::new(
                "from 应为日期，格式 YYYY-MM-DD",
                "from must be a date, YYYY-MM-DD",
            ),
        });
    }
    let days = param("working_days").and_then(|s| s.parse::<u32>().ok());
    if days.is_none() {
        errors.push(FieldError {
            field: "working_days".into(),
            message: Text::new(
                "working_days 应为不小于0的整数",
                "working_days must be a whole number, 0 or more",
            ),
        });
    }
    let (Some(from), Some(days)) = (from, days) else {
        return Err(EdgeError::BadQuery(errors));
    };
    match catalog.calendar().add_working_days(from, days) {
        Ok(due) => Ok(json(&due, 200)),
        Err(e) => Err(EdgeError::BadQuery(vec![FieldError {
            field: "working_days".into(),
            message: Text::new(format!("无法计算：{e}"), format!("Cannot compute: {e}")),
        }])),
    }
}
