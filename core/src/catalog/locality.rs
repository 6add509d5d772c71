//! Which rules are one place's, said to the resident in plain words.
//!
//! Most questions, materials and time limits in the catalog come from one
//! city's or province's guide, because the national documents name the
//! bundle but not the paperwork. A resident elsewhere must not read such a
//! rule as the law of the land, so everything that rests on a local source
//! carries a note ("以广东省中山市为例…"), derived here from the data.

use super::model::{Event, SourceScope, Text};

impl Event {
    /// The source a thing rests on: its own `source`, else the event's `default_source`.
    pub fn source_of(&self, own: Option<usize>) -> Option<usize> {
        own.or(self.default_source)
    }

    /// The plain-words locality note for a question, item, material, time
    /// limit or deferral, given that thing's own source index
    /// (`question.source`, `item.source`, `material.source`,
    /// `item.time_limit_source`, `material.defer_source`).
    ///
    /// - rests on a national source: `None` (nothing to say);
    /// - rests on a local source: "以广东省中山市为例，各地规定可能不同，以当地为准";
    /// - rests on no known source: "各地规定可能不同，以当地为准" (the lint
    ///   keeps catalog data from getting here; it guards hand-built events).
    pub fn locality_note(&self, own: Option<usize>) -> Option<Text> {
        let source = self.source_of(own).and_then(|i| self.sources.get(i));
        match source {
            Some(s) if s.scope == SourceScope::National => None,
            Some(s) => match &s.place {
                Some(place) => Some(Text::new(
                    format!("以{}为例，各地规定可能不同，以当地为准", place.zh),
                    format!(
                        "{}'s rule, as an example: other places may differ, and your local office decides",
                        place.en
                    ),
                )),
                None => Some(anywhere()),
            },
            None => Some(anywhere()),
        }
    }
}

fn anywhere() -> Text {
    Text::new(
        "各地规定可能不同，以当地为准",
        "Rules may differ from place to place; your local office decides",
    )
}

/// Short names a text may use for a place: "广东省中山市" → ["广东", "中山"],
/// "广西壮族自治区南宁市青秀区" → ["广西", "南宁", "青秀"]. The lint uses them
/// to find texts that speak of a place but do not rest on that place's source.
pub(crate) fn place_names(place: &str) -> Vec<String> {
    const UNITS: [char; 7] = ['省', '市', '县', '区', '镇', '州', '旗'];
    let mut names = Vec::new();
    // Cut at "（" so a parenthetical ("（yngm.gov.cn 所属县）") is not a name.
    let place = place.split('（').next().unwrap_or(place);
    for part in place.split(|c| UNITS.contains(&c)) {
        let short: String = part.chars().take(2).collect();
        if short.chars().count() == 2 && !names.contains(&short) {
            names.push(short);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_are_the_two_character_stems_of_each_unit() {
        assert_eq!(place_names("广东省中山市"), ["广东", "中山"]);
        assert_eq!(
            place_names("广西壮族自治区南宁市青秀区"),
            ["广西", "南宁", "青秀"]
        );
        assert_eq!(place_names("新疆维吾尔自治区玛纳斯县"), ["新疆", "玛纳"]);
        assert_eq!(place_names("云南省（yngm.gov.cn 所属县）"), ["云南"]);
    }
}
