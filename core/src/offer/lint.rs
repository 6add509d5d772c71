//! Cross-reference checks of `policies.toml` against the catalog (run as a
//! test): a rule that names an unknown event, field, question, e-certificate
//! type, relation or source would otherwise offer nothing, silently.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::rules::{PolicyRules, When};
use super::{relation, retirement};
use crate::catalog::CatalogData;

/// Problems in `policies.toml` against the catalog: unknown events, items,
/// questions, fields, e-certificate types, relations or sources, and
/// prefill entries that are not exactly one target and one value.
pub fn lint(rules: &PolicyRules, catalog: &CatalogData) -> Vec<String> {
    let mut problems = Vec::new();
    let mut err = |at: &str, p: String| problems.push(format!("policies.toml: {at}: {p}"));
    let event = |id: &str| catalog.events.iter().find(|e| e.id == id);
    let mut ids = BTreeSet::new();
    for rule in &rules.policy {
        let at = format!("policy[{}]", rule.id);
        if !ids.insert(&rule.id) {
            err(&at, "duplicate id".into());
        }
        let Some(e) = event(&rule.event) else {
            err(&at, format!("no event {}", rule.event));
            continue;
        };
        for c in &rule.claimed_by {
            if event(c).is_none() {
                err(&at, format!("claimed_by: no event {c}"));
            }
        }
        if let Some(f) = &rule.claim_field {
            if e.field(f).is_none() {
                err(&at, format!("claim_field: {} has no field {f}", e.id));
            }
        }
        match &rule.when {
            When::Member(c) => {
                for r in &c.relations {
                    if relation(r).is_none() {
                        err(&at, format!("no relation {r}"));
                    }
                }
                if let Some(k) = &c.holds {
                    if !catalog.ecerts.iter().any(|x| &x.id == k) {
                        err(&at, format!("holds: no e-certificate type {k}"));
                    }
                }
                for k in &c.reads {
                    if !catalog.ecerts.iter().any(|x| &x.id == k) {
                        err(&at, format!("reads: no e-certificate type {k}"));
                    }
                }
            }
            When::FinishedApplication {
                event: from,
                name_field,
                birth_date_field,
                ..
            } => match event(from) {
                None => err(&at, format!("finished_application: no event {from}")),
                Some(src) => {
                    for f in [name_field, birth_date_field] {
                        if src.field(f).is_none() {
                            err(&at, format!("{from} has no field {f}"));
                        }
                    }
                }
            },
            When::RetirementAge { .. } => {
                for sex in ["male", "female"] {
                    if !rules.retirement_age.iter().any(|l| l.sex == sex) {
                        err(&at, format!("no retirement_age line for {sex}"));
                    }
                }
            }
        }
        for p in &rule.prefill {
            match (&p.field, &p.answer) {
                (Some(f), None) if e.field(f).is_none() => {
                    err(&at, format!("prefill: {} has no field {f}", e.id))
                }
                (None, Some(q)) if e.question(q).is_none() => {
                    err(&at, format!("prefill: {} has no question {q}", e.id))
                }
                (Some(_), Some(_)) | (None, None) => {
                    err(&at, "prefill: name one field or one answer".into())
                }
                _ => {}
            }
            if p.from.is_some() == p.value.is_some() {
                err(&at, "prefill: give one of from and value".into());
            }
            if let Some(from) = &p.from {
                let known = ["person.name", "person.birth_date", "person.id_number"]
                    .contains(&from.as_str())
                    || from.starts_with("application.");
                if !known {
                    err(&at, format!("prefill: unknown fact {from}"));
                }
            }
        }
        if rule.sources.is_empty() {
            err(&at, "no sources".into());
        }
        for s in &rule.sources {
            if *s >= rules.sources.len() {
                err(&at, format!("no source {s}"));
            }
        }
    }
    for line in &rules.retirement_age {
        let at = format!("retirement_age[{}]", line.id);
        if !["male", "female"].contains(&line.sex.as_str()) {
            err(&at, format!("sex {}", line.sex));
        }
        if retirement::statutory_age(line, NaiveDate::MIN).is_none() {
            err(
                &at,
                format!("raise_from_birth {} is not YYYY-MM", line.raise_from_birth),
            );
        }
        if line.months_per_step == 0 || line.sources.iter().any(|s| *s >= rules.sources.len()) {
            err(
                &at,
                "months_per_step must be > 0 and sources must exist".into(),
            );
        }
    }
    problems
}
