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
