//! Chinese personal names: 2–20 Chinese characters, with the interpunct ·
//! between parts of minority and transliterated names (e.g. 买买提·艾力).

use crate::catalog::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, Text> {
        // Phones offer several look-alike dots; the ID system uses U+00B7.
        let name: String = raw
            .trim()
            .chars()
            .map(|c| {
                if matches!(c, '•' | '・' | '‧' | '∙' | '.') {
                    '·'
                } else {
                    c
                }
            })
            .collect();
        let n = name.chars().count();
        if !(2..=20).contains(&n) {
            return Err(Text::new(
                "应为2到20个汉字，与身份证上一致",
                "must be 2 to 20 Chinese characters, as on the ID card",
            ));
        }
        if !name.chars().all(|c| is_han(c) || c == '·')
            || name.starts_with('·')
            || name.ends_with('·')
            || name.contains("··")
        {
            return Err(Text::new(
                "只能填写汉字，少数民族姓名可用“·”分隔，与身份证上一致",
                "may contain only Chinese characters, with · between parts of a name, as on the ID card",
            ));
        }
        Ok(PersonName(name))
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
