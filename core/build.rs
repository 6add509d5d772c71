//! Parses `catalog/**/*.toml` into the typed model and embeds it as JSON.
//! A file that does not parse fails the build with its path and the reason;
//! cross-reference checks (the lint) run as tests in `catalog::lint`.

#[allow(dead_code)]
#[path = "src/catalog/model.rs"]
mod model;

use std::{fs, path::Path};

use model::*;
use serde::Deserialize;

#[allow(dead_code)]
#[path = "src/search/terms.rs"]
mod terms;

#[allow(dead_code)]
#[path = "src/offer/rules.rs"]
mod rules;

/// So `rules.rs` finds the model at the path it has inside the crate.
mod catalog {
    pub(crate) use super::model;
}

fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("catalog file {}: {e}", path.display()))
}

fn toml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[derive(Deserialize)]
struct Departments {
    department: Vec<Department>,
}
#[derive(Deserialize)]
struct ECerts {
    ecert: Vec<ECertType>,
}
#[derive(Deserialize)]
struct Home {
    popular: Vec<String>,
    elder_count: usize,
}
#[derive(Deserialize)]
struct Sections {
    section: Vec<Section>,
}
#[derive(Deserialize)]
struct Batches {
    batch: Vec<Batch>,
}
#[derive(Deserialize)]
struct Messages {
    message: Vec<MessageTemplate>,
    notice: Vec<NoticeTemplate>,
}

fn main() {
    // Read at run time, not `env!`: a target dir shared by clones at other
    // paths (CI's warm cache) reuses this compiled script, and a path
    // baked in at compile time would point at the first clone.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("catalog");
    let info: CatalogInfo = read(&root.join("catalog.toml"));
    let batches: Batches = read(&root.join("batches.toml"));
    let departments: Departments = read(&root.join("departments.toml"));
    let ecerts: ECerts = read(&root.join("ecerts.toml"));
    let messages: Messages = read(&root.join("messages.toml"));
    let sections: Sections = read(&root.join("sections.toml"));
    let home: Home = read(&root.join("home.toml"));
    // The home page's order is compiled in even where the catalog is not
    // (the app): a few ids, so the first screen needs no extra request.
    let popular: Vec<String> = home.popular.iter().map(|id| format!("{id:?}")).collect();
    fs::write(
        Path::new(&std::env::var("OUT_DIR").unwrap()).join("home.rs"),
        format!(
            "/// Event ids, most looked-for first (`catalog/home.toml`).\npub const POPULAR: &[&str] = &[{}];\n/// How many of them elder mode shows.\npub const ELDER_COUNT: usize = {};\n",
            popular.join(", "),
            home.elder_count
        ),
    )
    .unwrap();
    let mut events: Vec<Event> = toml_files(&root.join("events"))
        .iter()
        .map(|p| read::<Event>(p))
        .collect();
    // The State Council's batches in order (2024 first batch first), then by
    // id; an event on one of several lists sorts with the earliest of them.
    events.sort_by(|a, b| {
        let first = |e: &Event| e.batch_ids().into_iter().min().map(str::to_owned);
        first(a).cmp(&first(b)).then_with(|| a.id.cmp(&b.id))
    });
    let calendar = toml_files(&root.join("calendar"))
        .iter()
        .map(|p| read::<YearSchedule>(p))
        .collect();
    let data = CatalogData {
        info,
        batches: batches.batch,
        departments: departments.department,
        ecerts: ecerts.ecert,
        events,
        calendar,
        messages: messages.message,
        notices: messages.notice,
        sections: sections.section,
    };
    let out_dir = std::env::var("OUT_DIR").unwrap();
    let out = Path::new(&out_dir).join("catalog.json");
    fs::write(out, serde_json::to_string(&data).unwrap()).unwrap();

    let mut search: terms::SearchTerms = read(&root.join("search.toml"));
    search.pinyin = pinyin_table(&data, &search);
    let out = Path::new(&out_dir).join("search.json");
    fs::write(out, serde_json::to_string(&search).unwrap()).unwrap();

    let policies: rules::PolicyRules = read(&root.join("policies.toml"));
    let out = Path::new(&out_dir).join("policies.json");
    fs::write(out, serde_json::to_string(&policies).unwrap()).unwrap();
}

/// The toneless readings of every Chinese character a search term or an
/// event or item name uses, so a query in pinyin or initials can match them.
/// ü is written both `v` (as on a keyboard) and `u` (as people often type it).
fn pinyin_table(
    data: &CatalogData,
    search: &terms::SearchTerms,
) -> std::collections::BTreeMap<char, Vec<String>> {
    use pinyin::ToPinyinMulti;
    let mut texts: Vec<&str> = Vec::new();
    for e in &data.events {
        texts.extend([e.name.zh.as_str(), e.summary.zh.as_str()]);
        texts.extend(e.items.iter().map(|i| i.name.zh.as_str()));
    }
    let words = |w: &'_ terms::Words| -> Vec<String> {
        w.keywords
            .iter()
            .chain(&w.phrases)
            .chain(&w.synonyms)
            .cloned()
            .collect()
    };
    let mut owned: Vec<String> = search.confusables.clone();
    for ew in search.events.values() {
        owned.extend(words(&ew.words));
        for iw in ew.items.values() {
            owned.extend(words(iw));
        }
    }
    texts.extend(owned.iter().map(String::as_str));
    let mut table = std::collections::BTreeMap::new();
    for c in texts.iter().flat_map(|t| t.chars()) {
        if table.contains_key(&c) {
            continue;
        }
        let Some(multi) = c.to_pinyin_multi() else {
            continue;
        };
        let mut readings: Vec<String> = Vec::new();
        for p in multi {
            let plain = p.plain();
            let forms = if plain.contains('ü') {
                vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
            } else {
                vec![plain.to_string()]
            };
            for f in forms {
                if !readings.contains(&f) {
                    readings.push(f);
                }
            }
        }
        table.insert(c, readings);
    }
    table
}
