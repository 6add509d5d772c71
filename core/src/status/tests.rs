//! Every pair of statuses against the transition table, and the overall headline.

use super::*;
use crate::catalog::{Delivery, Item, Text};
use ItemStatus::*;

/// The allowed moves, written out independently of `can_move_to`.
const ALLOWED: &[(ItemStatus, ItemStatus)] = &[
    (Submitted, Accepted),
    (Submitted, CorrectionRequired),
    (Submitted, Rejected),
    (Submitted, Withdrawn),
    (Accepted, UnderReview),
    (Accepted, CorrectionRequired),
    (Accepted, Approved),
    (Accepted, Rejected),
    (UnderReview, CorrectionRequired),
    (UnderReview, Approved),
    (UnderReview, Rejected),
    (CorrectionRequired, Submitted),
    (CorrectionRequired, Withdrawn),
    (CorrectionRequired, Rejected),
    (Approved, Producing),
    (Approved, ReadyForPickup),
    (Approved, Posted),
    (Approved, Delivered),
    (Producing, ReadyForPickup),
    (Producing, Posted),
    (Posted, Delivered),
    (ReadyForPickup, Delivered),
];

#[test]
fn every_transition_is_allowed_exactly_when_the_table_says() {
    for from in ALL_STATUSES {
        for to in ALL_STATUSES {
            let expected = ALLOWED.contains(&(from, to));
            assert_eq!(from.can_move_to(to), expected, "{from:?} -> {to:?}");
            match from.transition(to) {
                Ok(s) => assert_eq!(s, to),
                Err(e) => assert_eq!(e, TransitionError { from, to }),
            }
        }
    }
}

#[test]
fn finished_statuses_are_terminal_and_names_round_trip() {
    for s in ALL_STATUSES {
        assert_eq!(ItemStatus::parse(s.as_str()), Some(s));
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
        assert!(!s.label().zh.is_empty());
    }
    assert!(Delivered.is_terminal() && Rejected.is_terminal() && Withdrawn.is_terminal());
    assert!(!Approved.is_terminal() && !Accepted.is_terminal());
    assert_eq!(ItemStatus::parse("done"), None);
}

#[test]
fn progress_never_goes_backwards_on_the_happy_path() {
    let path = [
        Submitted,
        Accepted,
        UnderReview,
        Approved,
        Producing,
        Posted,
        Delivered,
    ];
    for w in path.windows(2) {
        assert!(w[0].can_move_to(w[1]));
        assert!(w[0].progress() < w[1].progress());
    }
}

#[test]
fn a_step_reported_after_a_later_one_is_history_not_a_move_back() {
    assert!(UnderReview.is_past_step_of(Approved));
    assert!(Producing.is_past_step_of(Delivered));
    assert!(Accepted.is_past_step_of(Rejected));
    // Not a past step: the same or a later status, the edge's own
    // 已提交, or an end the item did not reach.
    assert!(!Approved.is_past_step_of(Approved));
    assert!(!Delivered.is_past_step_of(Approved));
    assert!(!Submitted.is_past_step_of(Approved));
    assert!(!Rejected.is_past_step_of(Delivered));
    assert!(!Withdrawn.is_past_step_of(Delivered));
}

fn item(id: &str, delivery: Vec<Delivery>, produces_card: bool) -> Item {
    Item {
        id: id.into(),
        name: Text::new(id, id),
        department: "hrss".into(),
        applies_when: None,
        time_limit_working_days: Some(5),

        time_limit_source: Some(0),
        time_limit_note: None,
        fee: Text::new("免费", "Free"),
        delivery,
        produces_card,
        materials: vec![],
        source: None,
    }
}

#[test]
fn the_event_is_not_done_while_an_item_is_only_accepted_or_a_card_is_being_made() {
    let card = item("card", vec![Delivery::Post], true);
    let cert = item("cert", vec![Delivery::Electronic], false);
    let o = overall([(&card, Approved), (&cert, Approved)]);
    assert_eq!(
        (o.finished, o.total),
        (1, 2),
        "approved card is not in hand"
    );
    assert!(o.headline.zh.contains("办理中"));
    let o = overall([(&card, Producing), (&cert, Accepted)]);
    assert_eq!(o.finished, 0);
    let o = overall([(&card, Posted), (&cert, Approved)]);
    assert_eq!(o.finished, 1, "posted is not delivered");
    let o = overall([(&card, Delivered), (&cert, Approved)]);
    assert_eq!(o.finished, 2);
    assert!(o.headline.zh.contains("全部2项已完成"));
}

#[test]
fn a_correction_is_called_out_in_the_headline() {
    let a = item("a", vec![Delivery::Electronic], false);
    let b = item("b", vec![Delivery::Electronic], false);
    let c = item("c", vec![Delivery::Electronic], false);
    let o = overall([(&a, CorrectionRequired), (&b, Approved), (&c, Accepted)]);
    assert_eq!((o.finished, o.total, o.needs_you), (1, 3, 1));
    assert!(o.headline.zh.contains("1项需要您补正"), "{}", o.headline.zh);
    assert!(o.headline.en.contains("1 of 3"));
}
