//! A submitted application, checked against the catalog: the event exists, the
//! guide is complete, every answer is well-formed and every field valid. Only
//! a [`ValidApplication`] can be stored and relayed.

use crate::api::SubmitApplication;
use crate::catalog::{Catalog, Event, Item, Text};
use crate::guide::{self, check_answer, Answers, FieldValues, Profile};
use crate::validate::{validate_form, FieldError};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmitError {
    #[error("unknown event {0}")]
    UnknownEvent(String),
    #[error("answer to {question} is invalid")]
    InvalidAnswer { question: String, message: Text },
    #[error("the guide is not complete: {question} is unanswered")]
    Incomplete { question: String, text: Text },
    #[error("{} field(s) are invalid", .0.len())]
    Fields(Vec<FieldError>),
    #[error("no item applies")]
    NoItems,
}

#[derive(Debug, Clone)]
pub struct ValidApplication<'c> {
    pub event: &'c Event,
    pub answers: Answers,
    pub fields: FieldValues,
    pub items: Vec<&'c Item>,
}

pub fn check_submission<'c>(
    catalog: &'c Catalog,
    submission: &SubmitApplication,
    profile: &Profile,
) -> Result<ValidApplication<'c>, SubmitError> {
    let event = catalog
        .event(&submission.event_id)
        .ok_or_else(|| SubmitError::UnknownEvent(submission.event_id.clone()))?;
    for (id, answer) in &submission.answers {
        if let Some(q) = event.question(id) {
            check_answer(q, answer, profile.today).map_err(|message| {
                SubmitError::InvalidAnswer {
                    question: id.clone(),
                    message,
                }
            })?;
        }
    }
    let pruned = guide::prune(event, &submission.answers, &submission.fields, profile);
    let outcome = guide::evaluate(event, &pruned.answers, profile);
    if let Some(q) = outcome.next_question {
        return Err(SubmitError::Incomplete {
            question: q.id.clone(),
            text: q.text.clone(),
        });
    }
    if outcome.items.is_empty() {
        return Err(SubmitError::NoItems);
    }
    let fields = validate_form(&outcome.fields, &pruned.values, profile.today)
        .map_err(SubmitError::Fields)?;
    Ok(ValidApplication {
        event,
        answers: pruned.answers,
        fields,
        items: outcome.items.iter().map(|a| a.item).collect(),
    })
}

/// A corrected resubmission of one item (补正): the item must be one of the
/// event's, and every field that item needs must be valid in the merged
/// values. Returns the normalised values of that item's fields.
pub fn check_resubmission(
    event: &Event,
    item_id: &str,
    values: &FieldValues,
    profile: &Profile,
) -> Result<FieldValues, SubmitError> {
    let fields: Vec<_> = event
        .fields
        .iter()
        .filter(|f| f.items.iter().any(|i| i == item_id))
        .collect();
    validate_form(&fields, values, profile.today).map_err(SubmitError::Fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_resubmission_checks_only_the_fields_of_its_item() {
        let catalog = Catalog::embedded();
        let event = catalog.event("social-security-card").unwrap();
        let profile = Profile::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let mut values: FieldValues = [
            ("cardholder.name".to_string(), "张伟".to_string()),
            (
                "cardholder.id_number".to_string(),
                "110101198503074516".to_string(),
            ),
            ("applicant.phone".to_string(), "138 0013 8000".to_string()),
        ]
        .into();
        let ok = check_resubmission(event, "ssc-apply", &values, &profile).unwrap();
        assert_eq!(ok["applicant.phone"], "13800138000");
        values.insert("applicant.phone".into(), "12".into());
        match check_resubmission(event, "ssc-apply", &values, &profile) {
            Err(SubmitError::Fields(f)) => assert_eq!(f[0].field, "applicant.phone"),
            other => panic!("{other:?}"),
        }
    }
}
