//! 居民身份证号码 (GB 11643-1999): 6-digit region code, 8-digit birth date,
//! 3-digit sequence, ISO 7064 MOD 11-2 check character (0–9 or X).

use chrono::NaiveDate;

use crate::catalog::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The first two digits: provinces, autonomous regions, municipalities (GB/T 2260),
/// plus 71/81/82 (Taiwan, Hong Kong, Macao residence permits) and 83 (Taiwan, used on 台湾居民居住证).
fn province_ok(p: u32) -> bool {
    matches!(p, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)
}

pub(crate) fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

impl IdNumber {
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, Text> {
        let s = raw.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18
            || !b[..17].iter().all(u8::is_ascii_digit)
            || !(b[17].is_ascii_digit() || b[17] == b'X')
        {
            return Err(Text::new(
                "应为18位：前17位是数字，最后一位是数字或X",
                "must be 18 characters: 17 digits, then a digit or X",
            ));
        }
        let province: u32 = s[..2].parse().unwrap_or(0);
        if !province_ok(province) {
            return Err(Text::new(
                "前6位地区码不对，请核对",
                "does not start with a valid region code",
            ));
        }
        let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").ok();
        let birth_ok = birth
            .is_some_and(|d| d <= today && d >= NaiveDate::from_ymd_opt(1850, 1, 1).unwrap_or(d));
        if !birth_ok {
            return Err(Text::new(
                "第7到14位出生日期不对，请核对",
                "has an impossible birth date in digits 7–14",
            ));
        }
        if check_char(&b[..17]) != b[17] {
            return Err(Text::new(
                "号码有误（校验位不符），请逐位核对",
                "is not a valid number (check character mismatch); please check each character",
            ));
        }
        Ok(IdNumber(s))
    }

    /// The number for a 6-digit `region`, `birth` and a 3-digit `sequence`
    /// (odd for a man), with its check character: for seed data and tests.
    pub fn compose(region: &str, birth: NaiveDate, sequence: u16) -> String {
        let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
        let check = check_char(first17.as_bytes()) as char;
        format!("{first17}{check}")
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked in parse")
    }

    /// 1 = male, 0 = female: the parity of the 17th digit.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }
}

impl AsRef<str> for IdNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
