//! The application reference a person can read aloud and type: `BS-7K4Q-92MX`.
//! Eight characters from an alphabet with nothing that looks or sounds like
//! something else (no 0/O, 1/I/L, U), in two groups of four. Issued by the
//! edge at submission; quoted to the 12345 hotline, found again in 我的办件.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::Text;

/// The characters a reference may use, in value order.
pub const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters after the `BS-` prefix.
pub const LEN: usize = 8;
const PREFIX: &str = "BS";

/// A well-formed reference. Its `Display` is the canonical `BS-XXXX-XXXX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference([u8; LEN]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an application reference")]
pub struct ReferenceError;

impl ReferenceError {
    pub fn message(&self) -> Text {
        Text::new(
            "办件编号的格式不对，应该像 BS-7K4Q-92MX 这样",
            "That is not an application reference; it looks like BS-7K4Q-92MX",
        )
    }
}

impl Reference {
    /// A reference from 8 random bytes (the caller owns the randomness: core
    /// reads no entropy). 2^64 spread over 30^8 values: no visible bias.
    pub fn generate(random: [u8; 8]) -> Reference {
        let mut n = u64::from_le_bytes(random);
        let mut out = [0u8; LEN];
        for slot in out.iter_mut().rev() {
            *slot = ALPHABET[(n % ALPHABET.len() as u64) as usize];
            n /= ALPHABET.len() as u64;
        }
        Reference(out)
    }

    /// Read a reference as a person might type it: any case, with or without
    /// the `BS` prefix, dashes and spaces anywhere.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        let cleaned: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－' && *c != '—')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let body = match cleaned.len() {
            n if n == LEN + PREFIX.len() => cleaned.strip_prefix(PREFIX).ok_or(ReferenceError)?,
            LEN => cleaned.as_str(),
            _ => return Err(ReferenceError),
        };
        let mut out = [0u8; LEN];
        for (slot, b) in out.iter_mut().zip(body.bytes()) {
            if !ALPHABET.contains(&b) {
                return Err(ReferenceError);
            }
            *slot = b;
        }
        Ok(Reference(out))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only ALPHABET bytes are ever stored, so both halves are ASCII.
        let s = std::str::from_utf8(&self.0).map_err(|_| fmt::Error)?;
        write!(f, "{PREFIX}-{}-{}", &s[..4], &s[4..])
    }
}

impl std::str::FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reference::parse(s)
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Reference::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_canonical_form_has_a_prefix_and_two_groups_of_four() {
        let r = Reference::generate([0; 8]);
        assert_eq!(r.to_string(), "BS-2222-2222");
        let r = Reference::generate([0xff; 8]);
        let s = r.to_string();
        assert_eq!(s.len(), 3 + 4 + 1 + 4);
        assert!(s.starts_with("BS-") && s.as_bytes()[7] == b'-');
    }

    #[test]
    fn a_typed_reference_is_read_whatever_its_case_spaces_and_dashes() {
        let want = Reference::parse("BS-7K4Q-92MX").unwrap();
        for typed in [
            "bs-7k4q-92mx",
            "BS7K4Q92MX",
            "7K4Q92MX",
            " 7k4q 92mx ",
            "bs 7K4Q－92MX",
        ] {
            assert_eq!(Reference::parse(typed), Ok(want), "{typed:?}");
        }
    }

    #[test]
    fn look_alike_and_wrong_length_references_are_refused() {
        for bad in [
            "",
            "BS-",
            "BS-7K4Q-92M",
            "BS-7K4Q-92MXY",
            "BS-7K4O-92MX", // O is not in the alphabet
            "BS-7K4Q-I2MX",
            "BS-7K4Q-L2MX",
            "BS-7K4Q-U2MX",
            "BS-1K4Q-92MX",
            "BS-0K4Q-92MX",
            "XX-7K4Q-92MX",
            "BS-7K4Q-92M你",
        ] {
            assert_eq!(Reference::parse(bad), Err(ReferenceError), "{bad:?}");
        }
    }

    #[test]
    fn it_travels_as_its_canonical_string() {
        let r = Reference::parse("7k4q92mx").unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"BS-7K4Q-92MX\"");
        let back: Reference = serde_json::from_str("\"bs-7k4q-92mx\"").unwrap();
        assert_eq!(back, r);
        assert!(serde_json::from_str::<Reference>("\"BS-OOOO-OOOO\"").is_err());
    }

    proptest! {
        #[test]
        fn every_generated_reference_reads_back_as_itself(random in any::<[u8; 8]>()) {
            let r = Reference::generate(random);
            let s = r.to_string();
            prop_assert_eq!(Reference::parse(&s), Ok(r));
            prop_assert_eq!(Reference::parse(&s.to_lowercase().replace('-', " ")), Ok(r));
            prop_assert!(s[3..].bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
        }
    }
}
