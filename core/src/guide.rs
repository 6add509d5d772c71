//! The situation guide (情形引导): from an event and the answers so far, the
//! next question, the items that apply (and the answers that made them), the
//! materials each needs with its waive/promise/defer options, and the merged
//! form's fields. Pure and deterministic: answers are a map, evaluated in the
//! catalog's question order, so the order they were given in does not matter.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{
    Condition, Event, Field, Item, Material, Question, QuestionKind, Scalar, Text,
};

/// One answer to a situation question. Dates travel as `YYYY-MM-DD` text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Bool(bool),
    Number(f64),
    Text(String),
    Choices(Vec<String>),
}

/// Answers keyed by question id.
pub type Answers = BTreeMap<String, Answer>;

/// Merged-form values keyed by field key, as typed.
pub type FieldValues = BTreeMap<String, String>;

/// What the guide knows about the resident beyond the answers.
#[derive(Debug, Clone)]
pub struct Profile {
    /// E-certificate types (ids from `ecerts.toml`) the applicant holds.
    pub ecerts: BTreeSet<String>,
    /// "Today" in China, for ages and dates not in the future.
    pub today: NaiveDate,
}

impl Profile {
    pub fn new(today: NaiveDate) -> Self {
        Profile {
            ecerts: BTreeSet::new(),
            today,
        }
    }
}

/// An item that applies, with the answers that made it apply (empty: it always applies).
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicableItem<'e> {
    pub item: &'e Item,
    pub because: Vec<(&'e Question, Answer)>,
}

/// How a required material can be satisfied.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialNeed<'e> {
    pub item: &'e Item,
    pub material: &'e Material,
    /// 免提交: the resident holds the e-certificate that replaces it.
    pub waived: bool,
    /// 告知承诺 allowed.
    pub promise: bool,
    /// 容缺受理 allowed: may follow after acceptance.
    pub deferrable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<'e> {
    /// The first applicable question not yet answered; `None` when the guide is complete.
    pub next_question: Option<&'e Question>,
    /// Every question that applies given the answers, in catalog order.
    pub questions: Vec<&'e Question>,
    pub items: Vec<ApplicableItem<'e>>,
    pub materials: Vec<MaterialNeed<'e>>,
    /// The merged form: each field needed by at least one applicable item, once.
    pub fields: Vec<&'e Field>,
}

impl Outcome<'_> {
    pub fn is_complete(&self) -> bool {
        self.next_question.is_none()
    }
}

/// Answers and field values after an earlier answer changed, and what was dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Pruned {
    pub answers: Answers,
    pub values: FieldValues,
    /// Question ids whose answers no longer apply (or are unknown / invalid).
    pub dropped_answers: Vec<String>,
    /// Field keys whose values no longer apply (or are unknown).
    pub dropped_fields: Vec<String>,
}

/// Does `c` hold for these answers? A condition on an unanswered question is false.
pub fn holds(c: &Condition, answers: &Answers, today: NaiveDate) -> bool {
    match c {
        Condition::All(cs) => cs.iter().all(|c| holds(c, answers, today)),
        Condition::Any(cs) => cs.iter().any(|c| holds(c, answers, today)),
        Condition::Not(c) => !holds(c, answers, today),
        Condition::Equals { question, value } => match (answers.get(question), value) {
            (Some(Answer::Bool(a)), Scalar::Bool(b)) => a == b,
            (Some(Answer::Number(a)), Scalar::Number(b)) => a == b,
            (Some(Answer::Text(a)), Scalar::Text(b)) => a == b,
            _ => false,
        },
        Condition::In { question, values } => {
            matches!(answers.get(question), Some(Answer::Text(a)) if values.contains(a))
        }
        Condition::Includes { question, value } => {
            matches!(answers.get(question), Some(Answer::Choices(a)) if a.contains(value))
        }
        Condition::Range { question, min, max } => match answers.get(question) {
            Some(Answer::Number(n)) => min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m),
            _ => false,
        },
        Condition::Age {
            question,
            min_years,
            max_years,
        } => match answers.get(question) {
            Some(Answer::Text(t)) => match age_years(t, today) {
                Some(age) => {
                    min_years.is_none_or(|m| age >= m) && max_years.is_none_or(|m| age <= m)
                }
                None => false,
            },
            _ => false,
        },
    }
}

/// Full years from a `YYYY-MM-DD` birth date to `today`.
pub fn age_years(birth: &str, today: NaiveDate) -> Option<u32> {
    let birth = NaiveDate::parse_from_str(birth, "%Y-%m-%d").ok()?;
    today.years_since(birth)
}

fn questions_in(c: &Condition, out: &mut Vec<String>) {
    match c {
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| questions_in(c, out)),
        Condition::Not(c) => questions_in(c, out),
        Condition::Equals { question, .. }
        | Condition::In { question, .. }
        | Condition::Includes { question, .. }
        | Condition::Range { question, .. }
        | Condition::Age { question, .. } => {
            if !out.contains(question) {
                out.push(question.clone())
            }
        }
    }
}

/// Is `answer` a well-formed answer to `q`? The error names the problem in both languages.
pub fn check_answer(q: &Question, answer: &Answer, today: NaiveDate) -> Result<(), Text> {
    let has = |v: &str| q.options.iter().any(|o| o.value == v);
    match (q.kind, answer) {
        (QuestionKind::YesNo, Answer::Bool(_)) => Ok(()),
        (QuestionKind::Single, Answer::Text(v)) if has(v) => Ok(()),
        (QuestionKind::Multiple, Answer::Choices(vs)) if vs.iter().all(|v| has(v)) => Ok(()),
        (QuestionKind::Number, Answer::Number(n)) => {
            if !n.is_finite() || q.min.is_some_and(|m| *n < m) || q.max.is_some_and(|m| *n > m) {
                Err(Text::new(
                    "请填写范围内的数字",
                    "Enter a number within the allowed range",
                ))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Date, Answer::Text(t)) => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(d) if q.not_future && d > today => Err(Text::new(
                "日期不能晚于今天",
                "The date cannot be in the future",
            )),
            Ok(_) => Ok(()),
            Err(_) => Err(Text::new(
                "请按“年-月-日”填写日期，例如 2024-03-08",
                "Enter the date as year-month-day, for example 2024-03-08",
            )),
        },
        (QuestionKind::YesNo, _) => Err(Text::new("请选择“是”或“否”", "Choose yes or no")),
        _ => Err(Text::new(
            "请从给出的选项中选择",
            "Choose one of the options given",
        )),
    }
}

fn applies(c: &Option<Condition>, answers: &Answers, today: NaiveDate) -> bool {
    c.as_ref().is_none_or(|c| holds(c, answers, today))
}

/// Evaluate the guide. Answers to questions that do not apply, unknown
/// questions and malformed answers are ignored (see [`prune`] to drop them).
pub fn evaluate<'e>(event: &'e Event, answers: &Answers, profile: &Profile) -> Outcome<'e> {
    let today = profile.today;
    let valid = valid_answers(event, answers, today);
    let questions: Vec<&Question> = event
        .questions
        .iter()
        .filter(|q| applies(&q.ask_when, &valid, today))
        .collect();
    let next_question = questions
        .iter()
        .copied()
        .find(|q| !valid.contains_key(&q.id));

    let items: Vec<ApplicableItem> = event
        .items
        .iter()
        .filter(|i| applies(&i.applies_when, &valid, today))
        .map(|item| {
            let mut ids = Vec::new();
            if let Some(c) = &item.applies_when {
                questions_in(c, &mut ids);
            }
            let because = ids
                .iter()
                .filter_map(|id| Some((event.question(id)?, valid.get(id)?.clone())))
                .collect();
            ApplicableItem { item, because }
        })
        .collect();

    let materials = items
        .iter()
        .flat_map(|a| a.item.materials.iter().map(move |m| (a.item, m)))
        .filter(|(_, m)| applies(&m.required_when, &valid, today))
        .map(|(item, material)| MaterialNeed {
            item,
            material,
            waived: material
                .waived_by
                .as_ref()
                .is_some_and(|c| profile.ecerts.contains(c)),
            promise: material.promise,
            deferrable: material.deferrable,
        })
        .collect();

    let fields = event
        .fields
        .iter()
        .filter(|f| {
            f.items
                .iter()
                .any(|id| items.iter().any(|a| &a.item.id == id))
        })
        .collect();

    Outcome {
        next_question,
        questions,
        items,
        materials,
        fields,
    }
}

/// The answers that count: known question, well-formed, and the question applies
/// given the earlier counted answers (catalog order; `ask_when` only looks back).
fn valid_answers(event: &Event, answers: &Answers, today: NaiveDate) -> Answers {
    let mut kept = Answers::new();
    for q in &event.questions {
        if !applies(&q.ask_when, &kept, today) {
            continue;
        }
        if let Some(a) = answers.get(&q.id) {
            if check_answer(q, a, today).is_ok() {
                kept.insert(q.id.clone(), a.clone());
            }
        }
    }
    kept
}

/// Drop answers and field values that no longer apply, saying which.
pub fn prune(event: &Event, answers: &Answers, values: &FieldValues, profile: &Profile) -> Pruned {
    let kept = valid_answers(event, answers, profile.today);
    let dropped_answers = answers
        .keys()
        .filter(|k| !kept.contains_key(*k))
        .cloned()
        .collect();
    let outcome = evaluate(event, &kept, profile);
    let live: BTreeSet<&str> = outcome.fields.iter().map(|f| f.key.as_str()).collect();
    let (values, dropped): (FieldValues, FieldValues) = values
        .clone()
        .into_iter()
        .partition(|(k, _)| live.contains(k.as_str()));
    Pruned {
        answers: kept,
        values,
        dropped_answers,
        dropped_fields: dropped.into_keys().collect(),
    }
}

#[cfg(test)]
mod tests;
