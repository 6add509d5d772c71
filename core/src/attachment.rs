//! Attachments (photos and scans of materials): what we accept is decided by
//! the file's content, never by its name or the type the client claims.

use serde::{Deserialize, Serialize};

use crate::catalog::Text;

/// Large enough for a phone photo of a document, small enough for a cheap
/// phone's upload on a slow network.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
            Kind::Pdf => "application/pdf",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("empty file")]
    Empty,
    #[error("file larger than the limit")]
    TooLarge,
    #[error("not a JPEG, PNG, WebP image or PDF")]
    UnsupportedType,
}

impl AttachmentError {
    /// What the resident is told.
    pub fn message(&self) -> Text {
        match self {
            AttachmentError::Empty => Text::new(
                "文件是空的，请重新选择",
                "The file is empty; choose it again",
            ),
            AttachmentError::TooLarge => Text::new(
                format!(
                    "文件太大了，最大{}MB。可以把照片拍小一点再上传",
                    MAX_BYTES / 1024 / 1024
                ),
                format!(
                    "The file is too large; the limit is {} MB",
                    MAX_BYTES / 1024 / 1024
                ),
            ),
            AttachmentError::UnsupportedType => Text::new(
                "只能上传照片（JPG、PNG、WebP）或PDF文件",
                "Only photos (JPG, PNG, WebP) or PDF files can be uploaded",
            ),
        }
    }
}

/// The type of `bytes` by its magic number.
pub fn sniff(bytes: &[u8]) -> Result<Kind, AttachmentError> {
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooLarge);
    }
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Ok(Kind::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Ok(Kind::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Ok(Kind::Webp),
        [b'%', b'P', b'D', b'F', b'-', ..] => Ok(Kind::Pdf),
        _ => Err(AttachmentError::UnsupportedType),
    }
}

/// A file name fit to store and show: no path, no control characters, not too long.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    // Bidi overrides and invisible format characters would let
    // `photo\u{202E}gpj.exe` show as `photoexe.jpg`: they go too.
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c))
        .take(80)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "附件".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// Unicode format characters a file name has no use for: bidi embeddings,
/// overrides and isolates, marks, zero-width characters, the BOM.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// How many attachments one resident may keep, and how many bytes in all:
/// enough for every material of several events, not a free file store.
pub const MAX_PER_RESIDENT: u64 = 200;
pub const MAX_BYTES_PER_RESIDENT: u64 = 500 * 1024 * 1024;

/// The resident's message when the quota is reached.
pub fn quota_message() -> Text {
    Text::new(
        "您上传的文件已经很多了，暂时不能再上传。如需帮助请拨打12345",
        "You have uploaded as many files as we can keep for you; call 12345 if you need help",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Ok(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok(Kind::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Ok(Kind::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Ok(Kind::Pdf));
        // An HTML page or a script renamed to .jpg is still refused.
        assert_eq!(
            sniff(b"<html><script>"),
            Err(AttachmentError::UnsupportedType)
        );
        assert_eq!(sniff(b"MZ\x90\0"), Err(AttachmentError::UnsupportedType));
        assert_eq!(
            sniff(b"RIFF\x10\0\0\0WAVEfmt "),
            Err(AttachmentError::UnsupportedType)
        );
        assert_eq!(sniff(b""), Err(AttachmentError::Empty));
        assert_eq!(
            sniff(&vec![0xFF; MAX_BYTES + 1]),
            Err(AttachmentError::TooLarge)
        );
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\me\\身份证.jpg"), "身份证.jpg");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.png"), "ab.png");
        assert_eq!(clean_name(".."), "附件");
        assert_eq!(clean_name(""), "附件");
    }

    #[test]
    fn names_lose_bidi_overrides_and_invisible_characters() {
        assert_eq!(clean_name("photo\u{202E}gpj.exe"), "photogpj.exe");
        assert_eq!(clean_name("\u{2066}身份证\u{2069}.jpg"), "身份证.jpg");
        assert_eq!(clean_name("a\u{200B}\u{FEFF}b\u{061C}.png"), "ab.png");
        assert_eq!(clean_name("\u{202D}\u{202C}"), "附件");
    }
}
