//! The steps of one draft, in order, as pages a resident walks through
//! (GOV.UK's one thing per page): each situation question that applies, the
//! result (which items apply and why), the materials, one page per section of
//! the merged form, and check answers. Derived from the guide's outcome, never
//! stored, so a changed answer re-plans the walk and nothing goes stale.

use crate::catalog::{Field, Item, Material, Section, Text};
use crate::guide::Outcome;

/// One page of a draft's journey. `path()` is its URL under `/drafts/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Question(String),
    Result,
    Materials,
    Section(String),
    Check,
}

impl Step {
    /// The URL of this step of draft `draft`.
    pub fn path(&self, draft: &str) -> String {
        match self {
            Step::Question(q) => format!("/drafts/{draft}/questions/{q}"),
            Step::Result => format!("/drafts/{draft}/result"),
            Step::Materials => format!("/drafts/{draft}/materials"),
            Step::Section(s) => format!("/drafts/{draft}/form/{s}"),
            Step::Check => format!("/drafts/{draft}/check"),
        }
    }
}

/// A material the resident provides once, whichever items need it: the
/// catalog keys materials by id within an event, and the same id under two
/// items is the same document. Where the items' definitions differ, the
/// need allows only what every one of them allows.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialNeed<'e> {
    /// The first definition in catalog order: its name is shown.
    pub material: &'e Material,
    /// Every applicable item that needs it, in catalog order.
    pub items: Vec<&'e Item>,
    /// 免提交 by this e-certificate type, if every item accepts it.
    pub waived_by: Option<&'e str>,
    /// 告知承诺 allowed by every item.
    pub promise: bool,
    /// 容缺 allowed by every item.
    pub deferrable: bool,
    /// The shortest deferral period any item gives, in working days.
    pub defer_working_days: Option<u32>,
}

impl MaterialNeed<'_> {
    pub fn id(&self) -> &str {
        &self.material.id
    }

    pub fn name(&self) -> &Text {
        &self.material.name
    }
}

/// The materials of an outcome, one entry per material id.
pub fn materials<'e>(outcome: &Outcome<'e>) -> Vec<MaterialNeed<'e>> {
    let mut out: Vec<MaterialNeed<'e>> = Vec::new();
    for need in &outcome.materials {
        let m = need.material;
        match out.iter_mut().find(|n| n.material.id == m.id) {
            Some(n) => {
                if !n.items.iter().any(|i| i.id == need.item.id) {
                    n.items.push(need.item);
                }
                if n.waived_by != m.waived_by.as_deref() {
                    n.waived_by = None;
                }
                n.promise &= m.promise;
                n.deferrable &= m.deferrable;
                n.defer_working_days = match (n.defer_working_days, m.defer_working_days) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            None => out.push(MaterialNeed {
                material: m,
                items: vec![need.item],
                waived_by: m.waived_by.as_deref(),
                promise: m.promise,
                deferrable: m.deferrable,
                defer_working_days: m.defer_working_days,
            }),
        }
    }
    out
}

/// The merged form's fields grouped into sections, in `sections.toml` order;
/// a field whose subject has no section (the lint forbids it) goes last.
pub fn sections<'e>(
    fields: &[&'e Field],
    sections: &'e [Section],
) -> Vec<(&'e str, Vec<&'e Field>)> {
    let mut out: Vec<(&'e str, Vec<&'e Field>)> = Vec::new();
    for s in sections {
        let of: Vec<&Field> = fields
            .iter()
            .copied()
            .filter(|f| f.subject() == s.subject)
            .collect();
        if !of.is_empty() {
            out.push((s.subject.as_str(), of));
        }
    }
    for f in fields {
        if sections.iter().all(|s| s.subject != f.subject()) {
            match out.iter_mut().find(|(s, _)| *s == f.subject()) {
                Some((_, v)) => v.push(f),
                None => out.push((f.subject(), vec![f])),
            }
        }
    }
    out
}

/// Every step of the journey for this outcome, in order. Questions come
/// first and only as far as the guide has got: an unanswered question ends
/// the list there, since what follows depends on its answer.
pub fn steps(outcome: &Outcome, form_sections: &[Section]) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for q in &outcome.questions {
        out.push(Step::Question(q.id.clone()));
        if outcome.next_question.is_some_and(|n| n.id == q.id) {
            return out;
        }
    }
    out.push(Step::Result);
    if !outcome.materials.is_empty() {
        out.push(Step::Materials);
    }
    for (subject, _) in sections(&outcome.fields, form_sections) {
        out.push(Step::Section(subject.to_owned()));
    }
    out.push(Step::Check);
    out
}

/// The step after `current`; `None` after check answers.
pub fn next(steps: &[Step], current: &Step) -> Option<Step> {
    let i = steps.iter().position(|s| s == current)?;
    steps.get(i + 1).cloned()
}

/// The step before `current` (GOV.UK's back link); `None` on the first.
pub fn previous(steps: &[Step], current: &Step) -> Option<Step> {
    let i = steps.iter().position(|s| s == current)?;
    i.checked_sub(1).and_then(|i| steps.get(i)).cloned()
}

/// Where a resident who opens the draft again should land: the first
/// unanswered question, or else the step they were last on if it still
/// exists, or else the result.
pub fn resume(steps: &[Step], outcome: &Outcome, last: Option<&Step>) -> Step {
    if let Some(q) = outcome.next_question {
        return Step::Question(q.id.clone());
    }
    match last {
        Some(s) if steps.contains(s) => s.clone(),
        _ => Step::Result,
    }
}

#[cfg(test)]
mod tests;
