//! The resident's settings kept by the edge per account: 免申即享 offers on
//! or off, and the language and elder mode (长辈版) their phones may follow
//! (issue 9). The device keeps its own language and elder mode; the account
//! keeps them only while the resident asks their phones to follow, so a
//! phone they sign in on can offer the same.
//!
//! A change names only what changes: `{offers}` alone (the app's offers
//! switch) keeps the language and elder mode, and `null` forgets them.

use serde::{Deserialize, Deserializer, Serialize};

use crate::catalog::Text;
use crate::validate::FieldError;

/// The interface language, as the app's locale files name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh-CN" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }
}

/// `GET /api/me/settings` and the answer to a `PUT`: everything kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidentSettings {
    /// 免申即享 offers on the home page; off, the edge reads nothing for them.
    pub offers: bool,
    /// The language the resident's phones follow; absent: none kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Language>,
    /// Elder mode the resident's phones follow; absent: none kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elder: Option<bool>,
}

impl Default for ResidentSettings {
    fn default() -> Self {
        Self {
            offers: true,
            lang: None,
            elder: None,
        }
    }
}

/// `PUT /api/me/settings`: each field absent keeps what is stored; `lang`
/// or `elder` as `null` forgets it. The language arrives as text so that an
/// unknown one is named back to the resident rather than refused as a shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offers: Option<bool>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub lang: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub elder: Option<Option<bool>>,
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl ResidentSettings {
    /// What is kept after `change`.
    pub fn changed(mut self, change: SettingsChange) -> Result<Self, FieldError> {
        if let Some(lang) = change.lang {
            self.lang = match lang {
                None => None,
                Some(s) => Some(Language::parse(&s).ok_or_else(|| FieldError {
                    field: "lang".into(),
                    message: Text::new(
                        "语言只能是简体中文（zh-CN）或英文（en）",
                        "The language must be Simplified Chinese (zh-CN) or English (en)",
                    ),
                })?),
            };
        }
        if let Some(elder) = change.elder {
            self.elder = elder;
        }
        if let Some(offers) = change.offers {
            self.offers = offers;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(json: &str) -> SettingsChange {
        serde_json::from_str(json).unwrap()
    }

    fn kept() -> ResidentSettings {
        ResidentSettings {
            offers: true,
            lang: Some(Language::En),
            elder: Some(true),
        }
    }

    #[test]
    fn a_change_of_offers_alone_keeps_the_language_and_elder_mode() {
        let s = kept().changed(change(r#"{"offers":false}"#)).unwrap();
        assert_eq!(
            s,
            ResidentSettings {
                offers: false,
                ..kept()
            }
        );
    }

    #[test]
    fn null_forgets_the_language_and_elder_mode_and_absent_keeps_them() {
        let s = kept()
            .changed(change(r#"{"lang":null,"elder":null}"#))
            .unwrap();
        assert_eq!(s, ResidentSettings::default());
        assert_eq!(kept().changed(change("{}")).unwrap(), kept());
        let s = ResidentSettings::default()
            .changed(change(r#"{"lang":"zh-CN","elder":false}"#))
            .unwrap();
        assert_eq!(s.lang, Some(Language::ZhCn));
        assert_eq!(s.elder, Some(false));
    }

    #[test]
    fn an_unknown_language_is_refused_by_name() {
        for bad in ["fr", "zh", "EN", ""] {
            let e = kept()
                .changed(change(&format!(r#"{{"lang":"{bad}"}}"#)))
                .unwrap_err();
            assert_eq!(e.field, "lang");
        }
    }

    #[test]
    fn a_change_travels_with_only_what_changes() {
        let c = SettingsChange {
            offers: Some(true),
            lang: Some(None),
            ..SettingsChange::default()
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"offers":true,"lang":null}"#
        );
        assert!(serde_json::from_str::<SettingsChange>(r#"{"extra":1}"#).is_err());
        let s: ResidentSettings = serde_json::from_str(r#"{"offers":true}"#).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"offers":true}"#);
    }
}
