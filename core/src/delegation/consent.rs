//! The consent code: when an agent asks, the principal gets a text with a
//! 6-digit code and reads it out to the agent in person. The code lives ten
//! minutes, allows five tries and is then locked; only a keyed hash of it is
//! stored. Guessing is bounded further by day limits per agent (requests
//! made, wrong codes entered) and per principal (requests received), so a
//! stranger can neither guess their way in nor flood someone with texts.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::catalog::Text;

/// How long a code can be used.
pub const CODE_TTL: Duration = Duration::minutes(10);
/// Tries per code; the fifth wrong one locks it.
pub const MAX_ATTEMPTS: u32 = 5;
pub const CODE_DIGITS: usize = 6;
/// The window of the day limits below.
pub const LIMIT_WINDOW: Duration = Duration::hours(24);
/// Requests one agent may make in a window (each texts someone).
pub const REQUESTS_PER_AGENT: usize = 5;
/// Requests one principal may receive in a window, from everyone together.
pub const REQUESTS_PER_PRINCIPAL: usize = 3;
/// Wrong codes one agent may enter in a window, across all their requests.
pub const WRONG_CODES_PER_AGENT: usize = 10;

/// A fresh code from 8 random bytes (the modulo bias is below 10⁻¹³).
pub fn new_code(random: [u8; 8]) -> String {
    format!("{:06}", u64::from_le_bytes(random) % 1_000_000)
}

/// The stored form of `code` for one request: HMAC-SHA256 under the
/// edge's secret, bound to the request id, hex. Without the key a leaked
/// table does not give the codes (a bare hash of six digits would).
pub fn code_hash(key: &[u8], request: &str, code: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(request.as_bytes());
    mac.update(b":");
    mac.update(code.as_bytes());
    crate::hex::encode(&mac.finalize().into_bytes())
}

/// A code waiting to be entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCode {
    pub hash: String,
    pub expires_at: DateTime<Utc>,
    /// Wrong tries so far.
    pub attempts: u32,
}

/// A try that was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeOutcome {
    Correct,
    /// Wrong; `attempts_left` 0 means the code is now locked.
    Wrong {
        attempts_left: u32,
    },
}

/// Why a try or a request is refused before anything is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    #[error("not six digits")]
    Malformed,
    #[error("the code expired")]
    Expired,
    #[error("five wrong tries locked the code")]
    Locked,
    #[error("too many wrong codes from this agent today")]
    TooManyWrongCodes,
    #[error("too many requests from this agent today")]
    TooManyRequestsByAgent,
    #[error("too many requests for this person today")]
    TooManyRequestsForPrincipal,
}

impl ConsentError {
    pub fn code(self) -> &'static str {
        match self {
            ConsentError::Malformed => "malformed_code",
            ConsentError::Expired => "code_expired",
            ConsentError::Locked => "code_locked",
            ConsentError::TooManyWrongCodes => "too_many_wrong_codes",
            ConsentError::TooManyRequestsByAgent | ConsentError::TooManyRequestsForPrincipal => {
                "too_many_requests"
            }
        }
    }

    pub fn message(self) -> Text {
        match self {
            ConsentError::Malformed => Text::new(
                "验证码是6位数字，请对照短信重新输入",
                "The code is 6 digits; check the text message and enter it again",
            ),
            ConsentError::Expired => Text::new(
                "验证码已过期（10分钟内有效）。请重新申请，对方会收到新的验证码。",
                "The code has expired (it lasts 10 minutes). Ask again and they will get a new code.",
            ),
            ConsentError::Locked => Text::new(
                "验证码输错了5次，已经失效。请重新申请，或请对方在自己的账号里同意。",
                "The code was entered wrongly 5 times and no longer works. Ask again, or ask them to approve in their own account.",
            ),
            ConsentError::TooManyWrongCodes => Text::new(
                "今天输错验证码的次数太多了，请明天再试，或请对方在自己的账号里同意。",
                "Too many wrong codes today. Try again tomorrow, or ask them to approve in their own account.",
            ),
            ConsentError::TooManyRequestsByAgent => Text::new(
                "您今天发出的授权申请太多了，请明天再试。",
                "You have sent too many requests today. Please try again tomorrow.",
            ),
            ConsentError::TooManyRequestsForPrincipal => Text::new(
                "今天向这位家人发出的授权申请太多了，请明天再试，或请他（她）在自己的账号里直接授权。",
                "This person has had too many requests today. Try again tomorrow, or ask them to authorise you from their own account.",
            ),
        }
    }
}

/// May the agent send another request? Counts are of requests made in the
/// last [`LIMIT_WINDOW`].
pub fn may_request(by_agent: usize, for_principal: usize) -> Result<(), ConsentError> {
    if by_agent >= REQUESTS_PER_AGENT {
        Err(ConsentError::TooManyRequestsByAgent)
    } else if for_principal >= REQUESTS_PER_PRINCIPAL {
        Err(ConsentError::TooManyRequestsForPrincipal)
    } else {
        Ok(())
    }
}

/// Try `given` against the pending code of request `request` at `now`;
/// `wrong_by_agent` counts the agent's wrong codes in the window. A counted
/// try (right or wrong) is an `Ok`; the caller stores `attempts + 1` on a
/// wrong one.
pub fn check_code(
    key: &[u8],
    request: &str,
    pending: &PendingCode,
    given: &str,
    wrong_by_agent: usize,
    now: DateTime<Utc>,
) -> Result<CodeOutcome, ConsentError> {
    if pending.attempts >= MAX_ATTEMPTS {
        return Err(ConsentError::Locked);
    }
    if now >= pending.expires_at {
        return Err(ConsentError::Expired);
    }
    if wrong_by_agent >= WRONG_CODES_PER_AGENT {
        return Err(ConsentError::TooManyWrongCodes);
    }
    let given = given.trim();
    if given.len() != CODE_DIGITS || !given.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConsentError::Malformed);
    }
    let expected = code_hash(key, request, given);
    if crate::signature::constant_time_eq(expected.as_bytes(), pending.hash.as_bytes()) {
        Ok(CodeOutcome::Correct)
    } else {
        Ok(CodeOutcome::Wrong {
            attempts_left: MAX_ATTEMPTS - pending.attempts - 1,
        })
    }
}

/// What a wrong try tells the agent.
pub fn wrong_code_message(attempts_left: u32) -> Text {
    if attempts_left == 0 {
        ConsentError::Locked.message()
    } else {
        Text::new(
            format!("验证码不对，还可以再试{attempts_left}次"),
            format!("That code is not right; {attempts_left} tries left"),
        )
    }
}

/// The text the principal gets when someone asks to act for them.
/// `agent` is "张伟（儿子）", `what` the events ("退休、社会保障卡居民服务").
pub fn request_sms(agent: &str, what: &str, code: &str) -> String {
    format!(
        "【办事】{agent}申请替您办理：{what}。同意的话，请登录办事App在“谁可以替我办理”里点同意，或把验证码{code}当面告诉他（她），10分钟内有效。不是您认识的人申请的，请不要告诉任何人。"
    )
}

/// The text an agent gets when a principal grants from their own account.
pub fn grant_sms(principal: &str, what: &str, until: &str) -> String {
    format!(
        "【办事】{principal}授权您替他（她）办理：{what}，{until}。请登录办事App，在“为家人办理”里选择他（她）。"
    )
}
