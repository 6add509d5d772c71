//! Parses `catalog/**/*.toml` into the typed model and embeds it as JSON.
//! A file that does not parse fails the build with its path and the reason;
//! cross-reference checks (the lint) run as tests in `catalog::lint`.

#[allow(dead_code)]
#[path = "src/catalog/model.rs"]
mod model;

use std::{fs, path::Path};

use model::*;
use serde::Deserialize;

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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
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
    // The State Council's batches in order (2024 first batch first), then by id.
    events.sort_by(|a, b| a.batch.cmp(&b.batch).then_with(|| a.id.cmp(&b.id)));
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
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalog.json");
    fs::write(out, serde_json::to_string(&data).unwrap()).unwrap();
}
