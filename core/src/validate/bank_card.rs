//! Bank card numbers: 12–19 digits with a valid Luhn check digit.

use crate::catalog::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankCard(String);

pub(crate) fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl BankCard {
    pub fn parse(raw: &str) -> Result<Self, Text> {
        let digits: String = raw.chars().filter(|c| *c != ' ').collect();
        let b = digits.as_bytes();
        if !(12..=19).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) {
            return Err(Text::new(
                "应为12到19位数字，请对照银行卡正面填写",
                "must be 12 to 19 digits, as printed on the card",
            ));
        }
        if !luhn_ok(b) {
            return Err(Text::new(
                "卡号有误，请逐位核对",
                "is not a valid card number; please check each digit",
            ));
        }
        Ok(BankCard(digits))
    }
}

impl AsRef<str> for BankCard {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
