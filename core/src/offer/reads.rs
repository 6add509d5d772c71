//! Which e-certificates the rules need, of whom and for what: the edge asks
//! the certificate platform for exactly these, with the offered event as the
//! stated purpose, and for nothing else. A member no rule could find (wrong
//! relation, too old) is never asked about.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::member_fits;
use super::rules::{PolicyRules, When};
use crate::platform::Household;

/// One release to ask for: `kinds` of `sub`'s certificates, for `purpose`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRead {
    pub sub: String,
    /// The event the offer would open (an event id).
    pub purpose: String,
    /// `ecerts.toml` ids, sorted, each once.
    pub kinds: Vec<String>,
}

/// The reads the member rules need over `household` today, one per member
/// and purpose, in register order.
pub fn certificate_reads(
    rules: &PolicyRules,
    household: &Household,
    today: NaiveDate,
) -> Vec<CertificateRead> {
    let mut out: Vec<CertificateRead> = Vec::new();
    for rule in &rules.policy {
        let When::Member(c) = &rule.when else {
            continue;
        };
        let kinds: BTreeSet<&String> = c.holds.iter().chain(&c.reads).collect();
        if kinds.is_empty() {
            continue;
        }
        for m in household
            .members
            .iter()
            .filter(|m| member_fits(c, m, today))
        {
            let at = out
                .iter()
                .position(|r| r.sub == m.sub && r.purpose == rule.event);
            let read = match at {
                Some(i) => &mut out[i],
                None => {
                    out.push(CertificateRead {
                        sub: m.sub.clone(),
                        purpose: rule.event.clone(),
                        kinds: Vec::new(),
                    });
                    out.last_mut().expect("just pushed")
                }
            };
            for k in &kinds {
                if !read.kinds.contains(k) {
                    read.kinds.push((*k).clone());
                }
            }
            read.kinds.sort();
        }
    }
    out
}
