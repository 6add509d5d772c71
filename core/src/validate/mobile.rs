//! Mainland mobile numbers: 11 digits, 1 then 3–9. `+86`, spaces and dashes are tolerated.

use crate::catalog::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(raw: &str) -> Result<Self, Text> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .unwrap_or(&digits);
        let b = digits.as_bytes();
        if b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
        {
            Ok(Mobile(digits.to_owned()))
        } else {
            Err(Text::new(
                "应为11位手机号码，以1开头，例如 13800138000",
                "must be an 11-digit mobile number starting with 1, for example 13800138000",
            ))
        }
    }
}

impl AsRef<str> for Mobile {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
