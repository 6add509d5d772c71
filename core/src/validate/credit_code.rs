//! 统一社会信用代码 (GB 32100-2015): 18 characters from the 31-character set
//! without I, O, Z, S, V; registration authority, entity type, 6-digit region
//! code, 9-character organisation code, MOD 31 check character.

use crate::catalog::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditCode(String);

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value(c: u8) -> Option<u32> {
    CHARSET.iter().position(|x| *x == c).map(|p| p as u32)
}

pub(crate) fn check_char(first17: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize])
}

impl CreditCode {
    pub fn parse(raw: &str) -> Result<Self, Text> {
        let s = raw.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18 || b.iter().any(|c| value(*c).is_none()) {
            return Err(Text::new(
                "应为18位，由数字和大写字母组成（不含I、O、Z、S、V），请对照营业执照填写",
                "must be 18 digits and capital letters (no I, O, Z, S, V), as on the business licence",
            ));
        }
        if !b[2..8].iter().all(u8::is_ascii_digit) {
            return Err(Text::new(
                "第3到8位应为地区码数字",
                "must have a 6-digit region code in positions 3–8",
            ));
        }
        if check_char(&b[..17]) != Some(b[17]) {
            return Err(Text::new(
                "代码有误（校验位不符），请逐位核对",
                "is not a valid code (check character mismatch); please check each character",
            ));
        }
        Ok(CreditCode(s))
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
