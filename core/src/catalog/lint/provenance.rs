//! Where the catalog's facts come from: every source on an official host or
//! marked as a mirror, national rules cited to national bodies, every
//! question, item and material resting on a named source, and no text that
//! speaks of a place without resting on that place's source (so the app can
//! tell the resident "以中山市为例").

use super::super::locality::place_names;
use super::super::model::*;
use super::Lint;

/// The host of an http(s) URL, lowercased, without port.
pub(super) fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// `host` equals an entry or is a subdomain of one.
fn on(host: &str, entries: &[String]) -> bool {
    entries
        .iter()
        .any(|e| host == e || host.ends_with(&format!(".{e}")))
}

/// A source (of an event, or a batch's list) is the issuer's own page, or says it is a copy.
pub(super) fn original_or_mirror(l: &mut Lint, at: &str, url: &str, national: bool, mirror: bool) {
    let Some(host) = host_of(url) else {
        l.err(at, "url must be an http(s) address");
        return;
    };
    if mirror {
        return;
    }
    let info = &l.data.info;
    if national && !on(&host, &info.national_hosts) {
        l.err(
            at,
            format!(
                "a national source on {host}, not a national body's site: cite the national \
                 document itself, or mark it mirror = true (catalog.toml lists national hosts)"
            ),
        );
    } else if !on(&host, &info.national_hosts) && !on(&host, &info.official_hosts) {
        l.err(
            at,
            format!(
                "{host} is not an official host: cite the issuer's own page, or mark it \
                 mirror = true (catalog.toml lists official hosts)"
            ),
        );
    }
}

/// One text of the event and the source index its thing rests on.
struct Said<'e> {
    at: String,
    text: &'e Text,
    own: Option<usize>,
}

pub(super) fn lint_event_provenance(l: &mut Lint, file: &str, event: &Event) {
    let n = event.sources.len();
    let index = |l: &mut Lint, at: &str, what: &str, i: Option<usize>| {
        if let Some(i) = i.filter(|i| *i >= n) {
            l.err(at, format!("{what} {i} points at no source"));
        }
    };
    index(l, file, "default_source", event.default_source);
    for (i, s) in event.sources.iter().enumerate() {
        if let Some(p) = &s.place {
            super::text(l, &format!("{file}: sources[{i}].place"), p);
        }
    }

    let mut said: Vec<Said> = Vec::new();
    let unsourced = "cites no source: say which source it rests on (source = N, or the \
                     event's default_source), so the app can say whose rule it is";
    for q in &event.questions {
        let at = format!("{file}: questions[{}]", q.id);
        index(l, &at, "source", q.source);
        if event.source_of(q.source).is_none() {
            l.err(&at, unsourced);
        }
        said.push(Said {
            at: at.clone(),
            text: &q.text,
            own: q.source,
        });
        if let Some(h) = &q.help {
            said.push(Said {
                at: at.clone(),
                text: h,
                own: q.source,
            });
        }
        for o in &q.options {
            said.push(Said {
                at: at.clone(),
                text: &o.text,
                own: q.source,
            });
        }
    }
    for item in &event.items {
        let at = format!("{file}: items[{}]", item.id);
        index(l, &at, "source", item.source);
        if event.source_of(item.source).is_none() {
            l.err(&at, unsourced);
        }
        said.push(Said {
            at: at.clone(),
            text: &item.name,
            own: item.source,
        });
        for m in &item.materials {
            let at = format!("{at}.materials[{}]", m.id);
            index(l, &at, "source", m.source);
            if event.source_of(m.source).is_none() {
                l.err(&at, unsourced);
            }
            said.push(Said {
                at,
                text: &m.name,
                own: m.source,
            });
        }
    }
    for f in &event.fields {
        let at = format!("{file}: fields[{}]", f.key);
        index(l, &at, "source", f.source);
        said.push(Said {
            at: at.clone(),
            text: &f.label,
            own: f.source,
        });
        if let Some(h) = &f.help {
            said.push(Said {
                at,
                text: h,
                own: f.source,
            });
        }
    }

    // A text that names a local source's place is that place's rule: it must
    // rest on a local source, or the resident reads it as everyone's.
    let places: Vec<(String, usize)> = event
        .sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.scope == SourceScope::Local)
        .flat_map(|(i, s)| {
            let zh = s.place.as_ref().map(|p| p.zh.as_str()).unwrap_or("");
            place_names(zh).into_iter().map(move |name| (name, i))
        })
        .collect();
    for s in &said {
        let Some((name, i)) = places.iter().find(|(name, _)| s.text.zh.contains(name)) else {
            continue;
        };
        let rests_on_local = event
            .source_of(s.own)
            .and_then(|r| event.sources.get(r))
            .is_some_and(|r| r.scope == SourceScope::Local);
        if !rests_on_local {
            l.err(
                &s.at,
                format!(
                    "the text speaks of {name} but rests on no local source: mark it \
                     source = {i} so the resident is told it is that place's rule"
                ),
            );
        }
    }
}
