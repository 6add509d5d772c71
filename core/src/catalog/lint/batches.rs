//! The State Council's lists against the events: every event's batch is a
//! known list with its document number, every list item names a real event of
//! that list (or says why there is none), and every event is on its list (or,
//! placed in one of several, on each candidate's, with the reason).

use std::collections::HashSet;

use super::{provenance, text, Lint};

pub(super) fn lint_batches(l: &mut Lint) {
    let data = l.data;
    let mut ids = HashSet::new();
    for b in &data.batches {
        let at = format!("batches.toml: {}", b.id);
        if !ids.insert(b.id.as_str()) {
            l.err(&at, "the batch is declared twice");
        }
        let well_formed = b.id.split_once('-').is_some_and(|(y, n)| {
            y.len() == 4 && y.parse::<u16>().is_ok() && n.parse::<u8>().is_ok()
        });
        if !well_formed {
            l.err(&at, "a batch id is <year>-<n>, like 2024-1");
        }
        text(l, &at, &b.label);
        match (&b.doc_number, &b.doc_number_note) {
            (None, None) => l.err(
                &at,
                "the batch has no document number (doc_number), nor a doc_number_note saying where it was searched for",
            ),
            (Some(_), Some(_)) => l.err(&at, "doc_number_note is only for a batch without doc_number"),
            _ => {}
        }
        provenance::original_or_mirror(l, &at, &b.url, true, b.mirror);
        if b.items.len() > b.item_count {
            l.err(
                &at,
                format!(
                    "{} items listed, but the list has {}",
                    b.items.len(),
                    b.item_count
                ),
            );
        }
        for item in &b.items {
            let at = format!("{at}: {}", item.name);
            match &item.event {
                Some(id) => match data.events.iter().find(|e| &e.id == id) {
                    None => l.err(&at, format!("names unknown event {id:?}")),
                    Some(e) if !e.batch_ids().contains(&b.id.as_str()) => l.err(
                        &at,
                        format!(
                            "event {id:?} says batch {:?}, not {:?}",
                            e.batch_ids(),
                            b.id
                        ),
                    ),
                    Some(_) => {}
                },
                None if item.note.as_deref().unwrap_or("").trim().is_empty() => {
                    l.err(&at, "an item without an event needs a note saying why")
                }
                None => {}
            }
        }
    }
    for e in &data.events {
        let at = format!("events/{}.toml", e.id);
        placement(l, &at, e);
        for id in e.batch_ids() {
            match data.batches.iter().find(|b| b.id == id) {
                None => l.err(&at, format!("batch {id:?} is not in batches.toml")),
                Some(b) if b.items.iter().all(|i| i.event.as_deref() != Some(&e.id)) => l.err(
                    &at,
                    format!("the event is not listed among batch {id:?}'s items"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// An event is on one list (`batch`), or on one of several that no source
/// tells apart (`batch_one_of`, with a `batch_note` saying what places it
/// there): never both, never neither, never a guess without its reason.
fn placement(l: &mut Lint, at: &str, e: &crate::catalog::model::Event) {
    let note = e
        .batch_note
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    match (&e.batch, e.batch_one_of.as_slice()) {
        (None, []) => l.err(
            at,
            "the event names no batch (batch, or batch_one_of with a batch_note)",
        ),
        (Some(_), [_, ..]) => l.err(
            at,
            "batch and batch_one_of together: name one list, or the candidates",
        ),
        (Some(_), []) if e.batch_note.is_some() => {
            l.err(at, "batch_note is only for an event with batch_one_of")
        }
        (None, [_]) => l.err(
            at,
            "batch_one_of names a single list: say batch = that list",
        ),
        (None, candidates) => {
            if !note {
                l.err(
                    at,
                    "batch_one_of without a batch_note saying why the list is not known",
                );
            }
            let unique: HashSet<&String> = candidates.iter().collect();
            if unique.len() != candidates.len() {
                l.err(at, "batch_one_of names a list twice");
            }
        }
        _ => {}
    }
}
