//! Masking personal data for display: enough to recognise, not enough to misuse.

/// 张三 → 张*; 欧阳娜娜 → 欧***; 买买提·艾力 → 买*****.
pub fn name(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// 110101199003074514 → 1101**********4514.
pub fn id_number(s: &str) -> String {
    keep_ends(s, 4, 4)
}

/// 13800138000 → 138****8000.
pub fn phone(s: &str) -> String {
    keep_ends(s, 3, 4)
}

fn keep_ends(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < head || i >= chars.len() - tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(super::name("张三"), "张*");
        assert_eq!(super::id_number("110101199003074514"), "1101**********4514");
        assert_eq!(super::phone("13800138000"), "138****8000");
        assert_eq!(super::phone("123"), "***");
        assert_eq!(super::name(""), "");
    }
}
