//! 好差评: a resident's rating of a finished event, parsed once at the edge
//! and relayed to the evaluation platform. One rating per application.

use serde::{Deserialize, Serialize};

use crate::catalog::Text;
use crate::status::Overall;
use crate::validate::FieldError;

/// The longest comment accepted, in characters (not bytes).
pub const MAX_COMMENT_CHARS: usize = 500;

/// `POST /api/applications/{id}/rating`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateApplication {
    pub score: i64,
    #[serde(default)]
    pub comment: String,
}

/// A rating that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub score: u8,
    pub comment: String,
}

/// What the resident sees after rating: their rating and whether the
/// evaluation platform has it yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingView {
    pub score: u8,
    pub comment: String,
    /// False while the relay to the evaluation platform is still retrying.
    pub relayed: bool,
    /// The platform refused it for good: we are following it up.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub following_up: bool,
}

impl Rating {
    pub fn parse(input: &RateApplication) -> Result<Rating, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1..=5).contains(&input.score) {
            errors.push(FieldError {
                field: "score".into(),
                message: Text::new(
                    "请选择1到5颗星（1星最不满意，5星最满意）",
                    "Choose 1 to 5 stars (1 is very dissatisfied, 5 very satisfied)",
                ),
            });
        }
        let comment = input.comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            errors.push(FieldError {
                field: "comment".into(),
                message: Text::new(
                    format!("评价内容最多{MAX_COMMENT_CHARS}个字，请删减一些"),
                    format!("The comment can be at most {MAX_COMMENT_CHARS} characters"),
                ),
            });
        }
        if comment.chars().any(|c| c.is_control() && c != '\n') {
            errors.push(FieldError {
                field: "comment".into(),
                message: Text::new(
                    "评价内容含有无法显示的字符",
                    "The comment contains invisible control characters",
                ),
            });
        }
        if errors.is_empty() {
            Ok(Rating {
                score: input.score as u8,
                comment: comment.to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// An event can be rated once every item is finished for the resident: a
/// rating of 办成 before the card is in hand would not be about the whole thing.
pub fn can_rate(overall: &Overall) -> bool {
    overall.total > 0 && overall.finished == overall.total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(score: i64, comment: &str) -> Result<Rating, Vec<FieldError>> {
        Rating::parse(&RateApplication {
            score,
            comment: comment.into(),
        })
    }

    #[test]
    fn scores_outside_one_to_five_name_the_score_field() {
        for bad in [0, 6, -1, 255, 256] {
            let errors = rate(bad, "").unwrap_err();
            assert_eq!(errors[0].field, "score", "{bad}");
        }
        assert_eq!(rate(5, "  办得很快 ").unwrap().comment, "办得很快");
    }

    #[test]
    fn comments_are_limited_in_characters_not_bytes() {
        let ok = "好".repeat(MAX_COMMENT_CHARS);
        assert!(rate(4, &ok).is_ok());
        let long = "好".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(rate(4, &long).unwrap_err()[0].field, "comment");
        assert_eq!(rate(4, "a\u{0}b").unwrap_err()[0].field, "comment");
    }

    #[test]
    fn only_a_finished_event_can_be_rated() {
        let o = |finished, total| Overall {
            finished,
            total,
            needs_you: 0,
            headline: Text::new("", ""),
        };
        assert!(can_rate(&o(3, 3)));
        assert!(!can_rate(&o(2, 3)));
        assert!(!can_rate(&o(0, 0)));
    }
}
