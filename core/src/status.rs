//! Item statuses and the one table of moves between them. Every department
//! answer goes through [`ItemStatus::transition`]; an impossible move is an
//! error, never a silent overwrite. The event's overall status is derived from
//! its items and never says "done" while a card is still being made.

use serde::{Deserialize, Serialize};

use crate::catalog::{Delivery, Item, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// 已提交: we hold it; not yet accepted by the department.
    Submitted,
    /// 已受理: the department formally accepted it; the legal clock runs.
    Accepted,
    /// 审查中
    UnderReview,
    /// 需补正: the department names what to fix.
    CorrectionRequired,
    /// 已办结 (准予): decided, approved.
    Approved,
    /// 已办结 (不予): decided, not approved.
    Rejected,
    /// 制证中: the card or certificate is being made.
    Producing,
    /// 待领取
    ReadyForPickup,
    /// 已寄出
    Posted,
    /// 已送达 / 已领取: in the resident's hands.
    Delivered,
    /// 已撤回: withdrawn by the resident before acceptance.
    Withdrawn,
}

pub const ALL_STATUSES: [ItemStatus; 11] = [
    ItemStatus::Submitted,
    ItemStatus::Accepted,
    ItemStatus::UnderReview,
    ItemStatus::CorrectionRequired,
    ItemStatus::Approved,
    ItemStatus::Rejected,
    ItemStatus::Producing,
    ItemStatus::ReadyForPickup,
    ItemStatus::Posted,
    ItemStatus::Delivered,
    ItemStatus::Withdrawn,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an item cannot go from {from:?} to {to:?}")]
pub struct TransitionError {
    pub from: ItemStatus,
    pub to: ItemStatus,
}

impl ItemStatus {
    /// Stable snake_case name: wire format, CSS class, message-template key.
    pub fn as_str(self) -> &'static str {
        use ItemStatus::*;
        match self {
            Submitted => "submitted",
            Accepted => "accepted",
            UnderReview => "under_review",
            CorrectionRequired => "correction_required",
            Approved => "approved",
            Rejected => "rejected",
            Producing => "producing",
            ReadyForPickup => "ready_for_pickup",
            Posted => "posted",
            Delivered => "delivered",
            Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStatus> {
        ALL_STATUSES.into_iter().find(|x| x.as_str() == s)
    }

    /// The words a resident sees.
    pub fn label(self) -> Text {
        use ItemStatus::*;
        let (zh, en) = match self {
            Submitted => ("已提交", "Submitted"),
            Accepted => ("已受理", "Accepted"),
            UnderReview => ("审查中", "Under review"),
            CorrectionRequired => ("需补正", "Correction needed"),
            Approved => ("已办结（批准）", "Decided: approved"),
            Rejected => ("已办结（未批准）", "Decided: not approved"),
            Producing => ("制证中", "Card being made"),
            ReadyForPickup => ("待领取", "Ready to collect"),
            Posted => ("已寄出", "Posted"),
            Delivered => ("已送达", "Delivered"),
            Withdrawn => ("已撤回", "Withdrawn"),
        };
        Text::new(zh, en)
    }

    /// The transition table. Corrections may be asked before or after 受理;
    /// a resubmitted correction goes back to `Submitted` for the department to
    /// accept again. Approval leads to production or straight to delivery
    /// (electronic results are "delivered" on approval).
    pub fn can_move_to(self, to: ItemStatus) -> bool {
        use ItemStatus::*;
        matches!(
            (self, to),
            (
                Submitted,
                Accepted | CorrectionRequired | Rejected | Withdrawn
            ) | (
                Accepted,
                UnderReview | CorrectionRequired | Approved | Rejected
            ) | (UnderReview, CorrectionRequired | Approved | Rejected)
                | (CorrectionRequired, Submitted | Withdrawn | Rejected)
                | (Approved, Producing | ReadyForPickup | Posted | Delivered)
                | (Producing, ReadyForPickup | Posted)
                | (Posted, Delivered)
                | (ReadyForPickup, Delivered)
        )
    }

    pub fn transition(self, to: ItemStatus) -> Result<ItemStatus, TransitionError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// How far along the happy path a status is; lets the edge order
    /// out-of-order callbacks (a later step arriving before an earlier one).
    pub fn progress(self) -> u8 {
        use ItemStatus::*;
        match self {
            Submitted | CorrectionRequired => 0,
            Accepted => 1,
            UnderReview => 2,
            Approved | Rejected | Withdrawn => 3,
            Producing => 4,
            ReadyForPickup | Posted => 5,
            Delivered => 6,
        }
    }

    /// A step the item passed on its way to `current` that the department
    /// reported late (its callback lost or overtaken): it belongs in the
    /// resident's timeline as history, though the item does not go back.
    pub fn is_past_step_of(self, current: ItemStatus) -> bool {
        self != ItemStatus::Submitted && !self.is_terminal() && self.progress() < current.progress()
    }

    /// Nothing more will happen to the item.
    pub fn is_terminal(self) -> bool {
        ALL_STATUSES.iter().all(|to| !self.can_move_to(*to))
    }

    /// Is the item finished from the resident's point of view? An approval is
    /// not finished while a physical card or certificate is still to come.
    pub fn is_finished(self, item: &Item) -> bool {
        self.is_finished_with(item.produces_card, &item.delivery)
    }

    /// [`Self::is_finished`] from an item's facts (e.g. a stored snapshot).
    pub fn is_finished_with(self, produces_card: bool, delivery: &[Delivery]) -> bool {
        use ItemStatus::*;
        match self {
            Delivered | Rejected | Withdrawn => true,
            Approved => !produces_card && !delivery.iter().any(|d| *d != Delivery::Electronic),
            _ => false,
        }
    }
}

/// The event as the resident should understand it, derived from its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overall {
    pub finished: usize,
    pub total: usize,
    /// Items waiting for the resident (a correction).
    pub needs_you: usize,
    pub headline: Text,
}

pub fn overall<'a>(items: impl IntoIterator<Item = (&'a Item, ItemStatus)>) -> Overall {
    overall_of(
        items
            .into_iter()
            .map(|(item, status)| (status, status.is_finished(item))),
    )
}

/// [`overall`] from each item's status and whether it is finished.
pub fn overall_of(items: impl IntoIterator<Item = (ItemStatus, bool)>) -> Overall {
    let mut finished = 0;
    let mut total = 0;
    let mut needs_you = 0;
    let mut all_delivered_or_closed = true;
    for (status, is_finished) in items {
        total += 1;
        if is_finished {
            finished += 1;
        } else {
            all_delivered_or_closed = false;
        }
        if status == ItemStatus::CorrectionRequired {
            needs_you += 1;
        }
    }
    let headline = if total > 0 && all_delivered_or_closed {
        Text::new(
            format!("全部{total}项已完成"),
            format!("All {total} items complete"),
        )
    } else if needs_you > 0 {
        Text::new(
            format!("有{needs_you}项需要您补正，已完成{finished}/{total}项"),
            format!("{needs_you} item(s) need your correction; {finished} of {total} complete"),
        )
    } else {
        Text::new(
            format!("办理中，已完成{finished}/{total}项"),
            format!("In progress: {finished} of {total} complete"),
        )
    };
    Overall {
        finished,
        total,
        needs_you,
        headline,
    }
}

#[cfg(test)]
mod tests;
