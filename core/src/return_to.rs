//! Where the browser goes after sign-in: only a path on our own origin, as
//! the browser itself will read the `Location` we send. Browsers strip tabs
//! and newlines from URLs and treat `\` as `/`, so `/\tevil.example` and
//! `/\evil.example` become `//evil.example` — another origin. Anything that
//! is not plainly a same-origin path is refused (the caller goes home).

/// The longest return path kept.
pub const MAX_LEN: usize = 512;

/// `path` if it is safe to redirect to after sign-in, else `None`.
pub fn safe_return_to(path: &str) -> Option<&str> {
    let ok = path.len() < MAX_LEN
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\' || is_invisible(c))
        && !has_encoded_separator(path)
        && !has_dot_segment(path);
    ok.then_some(path)
}

/// Format characters a browser may drop or a person cannot see (bidi
/// controls, zero-width characters).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `%2F`, `%5C`, and any encoded control or whitespace byte: some servers
/// and proxies decode them, and then the path means something else.
fn has_encoded_separator(path: &str) -> bool {
    let b = path.as_bytes();
    b.windows(3).any(|w| {
        w[0] == b'%'
            && match (hex(w[1]), hex(w[2])) {
                (Some(h), Some(l)) => {
                    let v = h * 16 + l;
                    v == b'/' || v == b'\\' || v <= 0x20 || v == 0x7f || v == b'.'
                }
                _ => false,
            }
    })
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A `.` or `..` segment: resolved away by the browser, it can turn
/// `/.//evil.example` into `//evil.example`.
fn has_dot_segment(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('/').any(|s| s == "." || s == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_our_origin_are_kept() {
        for p in [
            "/",
            "/applications",
            "/drafts/d1/questions/has-card?from=check",
            "/events/newborn#materials",
            "/search?q=%E5%87%BA%E7%94%9F",
            "/applications/A1/items/I1",
            "/a.b/c..d",
        ] {
            assert_eq!(safe_return_to(p), Some(p), "{p:?}");
        }
    }

    #[test]
    fn every_known_way_off_the_origin_is_refused() {
        for p in [
            "",
            "applications",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "/%2F/evil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%2e%2e//evil.example",
            "/.//evil.example",
            "/..//evil.example",
            "/x/../..//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\u{202E}elpmaxe.live//",
            "/\u{200B}/evil.example",
            "/\u{3000}evil.example",
        ] {
            assert_eq!(safe_return_to(p), None, "{p:?}");
        }
        assert_eq!(safe_return_to(&format!("/{}", "a".repeat(MAX_LEN))), None);
    }
}
