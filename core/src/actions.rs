//! Why a resident's action on an application is refused, as domain errors
//! the edge maps to HTTP in one place (`edge/src/error.rs`), with the words
//! the resident reads; and the idempotency key a submission carries.

use crate::catalog::Text;

/// A resident's action that cannot be done now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ItemActionError {
    /// 受理 already happened: the law's own procedure applies now.
    #[error("the item cannot be withdrawn any more")]
    CannotWithdraw,
    /// A withdrawal was asked for and the department has not confirmed yet.
    #[error("a withdrawal is already on its way")]
    WithdrawalPending,
    #[error("no correction was asked for")]
    NoCorrectionRequested,
    #[error("the application was rated already")]
    AlreadyRated,
    #[error("not every item is finished")]
    NotFinished,
    #[error("the material is not waiting to be provided")]
    NotDeferred,
    #[error("the item is closed")]
    ItemClosed,
}

impl ItemActionError {
    /// The stable machine code of the API error.
    pub fn code(self) -> &'static str {
        match self {
            ItemActionError::CannotWithdraw => "cannot_withdraw",
            ItemActionError::WithdrawalPending => "withdrawal_pending",
            ItemActionError::NoCorrectionRequested => "no_correction_requested",
            ItemActionError::AlreadyRated => "already_rated",
            ItemActionError::NotFinished => "not_finished",
            ItemActionError::NotDeferred => "not_deferred",
            ItemActionError::ItemClosed => "item_closed",
        }
    }

    /// What the resident is told, and what to do instead.
    pub fn message(self) -> Text {
        match self {
            ItemActionError::CannotWithdraw => Text::new(
                "这一项部门已经受理，不能在网上撤回了。如需撤回，请联系办理部门或拨打12345。",
                "The department has already accepted this item, so it cannot be withdrawn online. Contact the department or call 12345.",
            ),
            ItemActionError::WithdrawalPending => Text::new(
                "撤回申请已经发出，正在等部门确认，不用再点",
                "The withdrawal has been sent and is waiting for the department to confirm; no need to tap again",
            ),
            ItemActionError::NoCorrectionRequested => Text::new(
                "这一项现在不需要补正",
                "This item is not waiting for a correction",
            ),
            ItemActionError::AlreadyRated => Text::new(
                "这件事您已经评价过了，每件事只能评价一次",
                "You have already rated this; each application can be rated once",
            ),
            ItemActionError::NotFinished => Text::new(
                "这件事还没有全部办完，全部办完后再来评价",
                "Not every item is finished yet; you can rate it once they all are",
            ),
            ItemActionError::NotDeferred => Text::new(
                "这份材料已经提交过了，不用再交",
                "This material has already been provided",
            ),
            ItemActionError::ItemClosed => Text::new(
                "这一项已经结束，不需要再补交材料",
                "This item is closed; nothing more is needed for it",
            ),
        }
    }
}

/// The notice when a department had accepted an item before the resident's
/// withdrawal reached it: the item goes on, and the resident is told whom to ask.
pub fn withdrawal_too_late(item: &Text, department: &Text) -> (Text, Text) {
    (
        Text::new("没能撤回：部门已经受理", "Not withdrawn: the department had already accepted it"),
        Text::new(
            format!(
                "您要撤回的「{}」，{}在收到撤回前已经受理，这一项会继续办理。如需撤回，请联系{}或拨打12345。",
                item.zh, department.zh, department.zh
            ),
            format!(
                "{} had already accepted \"{}\" when your withdrawal arrived, so it goes on. To withdraw it, contact {} or call 12345.",
                department.en, item.en, department.en
            ),
        ),
    )
}

/// The `Idempotency-Key` of a submission or an upload: 8–128 letters,
/// digits, `-` or `_`, so it is safe in storage and in logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an Idempotency-Key is 8–128 letters, digits, - or _")]
pub struct IdempotencyKeyError;

impl IdempotencyKeyError {
    pub fn message(self) -> Text {
        Text::new(
            "缺少或无效的 Idempotency-Key 请求头（8–128个字母、数字、-、_）",
            "An Idempotency-Key header is required: 8–128 letters, digits, - or _",
        )
    }
}

impl IdempotencyKey {
    pub fn parse(s: &str) -> Result<IdempotencyKey, IdempotencyKeyError> {
        let ok = (8..=128).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| IdempotencyKey(s.to_owned()))
            .ok_or(IdempotencyKeyError)
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_plain_and_bounded() {
        assert!(IdempotencyKey::parse("draft-2026_11-abc").is_ok());
        for bad in [
            "",
            "short",
            "with space!",
            "ключ-ключ-ключ",
            &"a".repeat(129),
        ] {
            assert_eq!(
                IdempotencyKey::parse(bad),
                Err(IdempotencyKeyError),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_refusal_has_a_code_and_words_in_both_languages() {
        use ItemActionError::*;
        for e in [
            CannotWithdraw,
            WithdrawalPending,
            NoCorrectionRequested,
            AlreadyRated,
            NotFinished,
            NotDeferred,
            ItemClosed,
        ] {
            assert!(!e.code().is_empty());
            let m = e.message();
            assert!(!m.zh.is_empty() && !m.en.is_empty(), "{e:?}");
        }
    }
}
