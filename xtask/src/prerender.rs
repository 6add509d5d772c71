//! The home page as static HTML, rendered at build time from the catalog
//! and the app's own Chinese strings (`app/locales/zh-CN.json`), so a first
//! visit to `/` shows the life events with no wasm at all (issue 14: the
//! wasm alone is ~510 kB brotli). The markup mirrors what `routes/home.rs`
//! renders (same classes, ids and roles), so the app can take the page over
//! without a jump; `app/index.html`'s loader decides when the app loads and
//! `app/src/main.rs` removes this markup when it mounts.
//!
//! Links are plain `<a href>`: tapping an event loads `/events/{id}`, where
//! the app starts. The search box filters the list in place (a few lines of
//! script in index.html, over the `data-q` words written here) and the two
//! switches are remembered for the app to read.

use std::fmt::Write;

use banshi_core::api::EventSummary;
use banshi_core::catalog::{Audience, Catalog, ELDER_COUNT, POPULAR};
use serde_json::Value;

/// The element the app removes when it mounts (see `app/src/main.rs`).
pub const ROOT_ID: &str = "prerendered";

/// `<div id="prerendered">…</div>`: skip link, header and the home page's
/// `<main>`, in Simplified Chinese. `zh` is `app/locales/zh-CN.json`.
pub fn home(catalog: &Catalog, zh: &Value) -> Result<String, String> {
    let t = |key: &str| -> Result<String, String> {
        zh.get(key)
            .and_then(Value::as_str)
            .map(esc)
            .ok_or_else(|| format!("app/locales/zh-CN.json has no string `{key}`"))
    };
    let mut events: Vec<EventSummary> = catalog
        .events()
        .iter()
        .map(|e| EventSummary::of(catalog, e))
        .collect();
    // Most looked-for first, then catalog order: `ordered` in routes/home.rs.
    events.sort_by_key(|e| {
        POPULAR
            .iter()
            .position(|p| *p == e.id)
            .unwrap_or(usize::MAX)
    });
    let items_at_once = t("items_at_once")?;
    let mut html = String::with_capacity(16 * 1024);
    let w = &mut html;
    let _ = write!(
        w,
        r##"<div id="{ROOT_ID}"><a class="skip" href="#main">{skip}</a><header class="topbar"><a href="/" class="brand" aria-current="page">{brand}</a><nav aria-label="{nav}"><a href="/applications">{apps}</a><a href="/inbox">{inbox}</a><a href="/settings">{settings}</a></nav><div class="who"><a class="button small" rel="external" href="/api/auth/login?return_to=%2F">{sign_in}</a></div></header><main id="main" class="page" tabindex="-1"><div class="switches"><button type="button" class="switch" aria-pressed="false" data-switch="elder">{elder}</button><button type="button" class="switch" lang="en" data-switch="lang">{other}</button></div><h1 tabindex="-1">{title}</h1><form class="search" role="search"><label for="search" class="label">{search}</label><input id="search" type="search" enterkeyhint="search" autocomplete="off" placeholder="{placeholder}"></form><div class="notice" role="status" data-nothing hidden><p>{nothing}</p><p><a href="tel:12345">{call}</a></p></div>"##,
        skip = t("skip_to_main")?,
        brand = t("brand")?,
        nav = t("nav_label")?,
        apps = t("nav_applications")?,
        inbox = t("nav_inbox")?,
        settings = t("nav_settings")?,
        sign_in = t("sign_in")?,
        elder = t("elder_mode")?,
        other = t("other_language")?,
        title = t("home_title")?,
        search = t("search_label")?,
        placeholder = t("search_placeholder")?,
        nothing = t("search_nothing")?,
        call = t("call_12345")?,
    );
    for (audience, id, heading) in [
        (Audience::Personal, "personal", t("for_people")?),
        (Audience::Business, "business", t("for_business")?),
    ] {
        let list: Vec<&EventSummary> = events.iter().filter(|e| e.audience == audience).collect();
        if list.is_empty() {
            continue;
        }
        // Elder mode shows the first few personal events and no business ones.
        let section_class = if audience == Audience::Business {
            r#" class="not-elder""#
        } else {
            ""
        };
        let _ = write!(
            w,
            r#"<section data-list{section_class}><h2 id="{id}">{heading}</h2><ul class="events" aria-labelledby="{id}">"#
        );
        for (i, e) in list.iter().enumerate() {
            let extra = if audience == Audience::Personal && i >= ELDER_COUNT {
                " not-elder"
            } else {
                ""
            };
            // The words the search matches: `matches` in routes/home.rs.
            let q = [&e.name.zh, &e.name.en, &e.summary.zh, &e.summary.en]
                .map(|s| s.to_lowercase())
                .join("\n");
            let count = items_at_once.replace("{{ count }}", &e.item_count.to_string());
            let batch = e
                .batch
                .as_ref()
                .map(|b| format!(" · {}", esc(&b.zh)))
                .unwrap_or_default();
            let _ = write!(
                w,
                r#"<li class="event-card{extra}" data-q="{q}"><a href="/events/{id}"><span class="event-name">{name}</span><span class="event-summary">{summary}</span><span class="event-count">{count}{batch}</span></a></li>"#,
                q = esc(&q),
                id = esc(&e.id),
                name = esc(&e.name.zh),
                summary = esc(&e.summary.zh),
            );
        }
        w.push_str("</ul></section>");
    }
    let _ = write!(
        w,
        r#"<p class="help-line elder-only"><a class="button secondary" href="tel:12345">{call}</a></p></main></div>"#,
        call = t("call_12345")?,
    );
    Ok(html)
}

/// Text and attribute values, escaped for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Render into `out` for the trunk hook (`app/sw/build.mjs`) to splice into
/// `index.html`.
pub fn write(out: &std::path::Path) -> Result<(), String> {
    let zh_path = crate::env::root().join("app/locales/zh-CN.json");
    let zh: Value = serde_json::from_slice(
        &std::fs::read(&zh_path).map_err(|e| format!("{}: {e}", zh_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", zh_path.display()))?;
    let html = home(Catalog::embedded(), &zh)?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    std::fs::write(out, html).map_err(|e| format!("{}: {e}", out.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered() -> String {
        let zh: Value = serde_json::from_str(include_str!("../../app/locales/zh-CN.json")).unwrap();
        home(Catalog::embedded(), &zh).unwrap()
    }

    #[test]
    fn the_static_home_page_links_every_event_of_the_catalog_with_a_plain_link() {
        let html = rendered();
        for e in Catalog::embedded().events() {
            assert!(
                html.contains(&format!(r#"<a href="/events/{}">"#, e.id)),
                "{} has no link",
                e.id
            );
            assert!(html.contains(&esc(&e.name.zh)), "{} has no name", e.id);
        }
    }

    #[test]
    fn the_static_home_page_has_the_heading_the_search_box_and_both_switches_in_chinese() {
        let html = rendered();
        assert!(html.contains(r#"<h1 tabindex="-1">高效办成一件事</h1>"#));
        assert!(html.contains(r#"<label for="search" class="label">您要办什么事？</label>"#));
        assert!(html.contains(">长辈版</button>"));
        assert!(html.contains(r#"lang="en" data-switch="lang">English</button>"#));
        assert!(html.starts_with(&format!(r#"<div id="{ROOT_ID}">"#)));
        assert!(html.ends_with("</main></div>"));
        // No script and no unfilled placeholder in the markup itself.
        assert!(!html.contains("<script"));
        assert!(!html.contains("{{"));
    }

    #[test]
    fn the_most_looked_for_event_comes_first_and_elder_mode_hides_the_rest() {
        let html = rendered();
        let first = html.find(r#"<a href="/events/"#).unwrap();
        assert!(html[first..].starts_with(&format!(r#"<a href="/events/{}">"#, POPULAR[0])));
        let not_elder = html.matches(r#"class="event-card not-elder""#).count();
        let personal = Catalog::embedded()
            .events()
            .iter()
            .filter(|e| e.audience == Audience::Personal)
            .count();
        assert_eq!(not_elder, personal.saturating_sub(ELDER_COUNT));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
