//! Invariants of the codebase, checked by `cargo test -p xtask` (and so by
//! `cargo xtask test`): the layer boundaries ARCHITECTURE.md promises.

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use crate::env::root;

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn core_depends_on_no_runtime() {
        let manifest = fs::read_to_string(root().join("core/Cargo.toml")).unwrap();
        let deps = manifest.split("[dev-dependencies]").next().unwrap();
        for forbidden in ["leptos", "worker", "web-sys", "tokio", "gloo", "axum"] {
            assert!(
                !deps.contains(forbidden),
                "core/Cargo.toml must not depend on {forbidden}"
            );
        }
    }

    #[test]
    fn only_the_edge_store_writes_sql() {
        let mut files = Vec::new();
        rust_files(&root().join("edge/src"), &mut files);
        for f in files {
            let text = fs::read_to_string(&f).unwrap();
            let is_store = f.starts_with(root().join("edge/src/store"));
            let has_sql = text.contains("SELECT ")
                || text.contains("INSERT INTO")
                || text.contains("UPDATE ");
            assert!(
                is_store || !has_sql,
                "{} contains SQL; storage lives in edge/src/store/",
                f.display()
            );
        }
    }

    #[test]
    fn every_module_says_what_it_is_for() {
        let mut files = Vec::new();
        for krate in [
            "core/src",
            "edge/src",
            "app/src",
            "sandbox/src",
            "xtask/src",
        ] {
            rust_files(&root().join(krate), &mut files);
        }
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy();
            if name == "tests.rs" {
                continue;
            }
            let text = fs::read_to_string(&f).unwrap();
            assert!(
                text.starts_with("//!"),
                "{} should open with a //! comment",
                f.display()
            );
        }
    }

    /// Every route in the edge's table is in the OpenAPI document (the
    /// Playwright suite checks the other direction against the running edge).
    #[test]
    fn every_edge_route_is_documented_in_openapi() {
        let router = fs::read_to_string(root().join("edge/src/router.rs")).unwrap();
        let spec: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(root().join("edge/openapi.json")).unwrap())
                .unwrap();
        let documented: Vec<(String, String)> = spec["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                let shape: String = path
                    .split('/')
                    .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
                    .collect::<Vec<_>>()
                    .join("/");
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.clone(), shape.clone()))
            })
            .collect();
        let mut routes = 0;
        for line in router.lines() {
            let line = line.trim();
            let Some((method, rest)) = ["Get", "Post", "Put", "Delete"].iter().find_map(|m| {
                line.strip_prefix(&format!("({m}, ["))
                    .map(|r| (m.to_lowercase(), r))
            }) else {
                continue;
            };
            let segments = rest.split(']').next().unwrap();
            let path: String = segments
                .split(',')
                .map(|s| s.trim())
                .map(|s| {
                    if s.starts_with('"') {
                        s.trim_matches('"').to_owned()
                    } else {
                        "{}".to_owned()
                    }
                })
                .fold(String::new(), |acc, s| format!("{acc}/{s}"));
            routes += 1;
            assert!(
                documented.contains(&(method.clone(), path.clone())),
                "{} {path} is routed but not in edge/openapi.json",
                method.to_uppercase()
            );
        }
        assert!(routes >= 10, "parsed {routes} routes from router.rs");
        assert_eq!(
            routes,
            documented.len(),
            "openapi.json documents a route the router lacks"
        );
    }

    #[test]
    fn the_openapi_document_names_exactly_the_catalogs_events_and_e_certificates() {
        // The API refuses any other id, so the schema says so: a generator
        // (schemathesis) then makes requests the API can take.
        let doc: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(root().join("edge/openapi.json")).unwrap())
                .unwrap();
        let catalog = banshi_core::Catalog::embedded();
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let events = sorted(catalog.events().iter().map(|e| e.id.clone()).collect());
        let ecerts = sorted(catalog.data().ecerts.iter().map(|c| c.id.clone()).collect());
        let schemas = &doc["components"]["schemas"];
        let listed = |v: &serde_json::Value| -> Vec<String> {
            v["enum"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        for (place, enumed, want) in [
            ("EventId", &schemas["EventId"], &events),
            ("ECertType", &schemas["ECertType"], &ecerts),
        ] {
            assert_eq!(
                sorted(listed(enumed)),
                *want,
                "edge/openapi.json components/schemas/{place} must list the catalog's ids"
            );
        }
    }

    #[test]
    fn the_openapi_document_releases_for_each_event_only_the_e_certificates_it_uses() {
        let doc: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(root().join("edge/openapi.json")).unwrap())
                .unwrap();
        let catalog = banshi_core::Catalog::embedded();
        let mut want = std::collections::BTreeMap::new();
        for event in catalog.events() {
            let mut ids: Vec<String> = banshi_core::api::EventBundle::of(catalog, event)
                .ecerts
                .iter()
                .map(|c| c.id.clone())
                .collect();
            ids.sort();
            if !ids.is_empty() {
                want.insert(event.id.clone(), ids);
            }
        }
        let mut have = std::collections::BTreeMap::new();
        let branches = doc["components"]["schemas"]["ReleaseCertificates"]["oneOf"].as_array();
        for b in branches.into_iter().flatten() {
            let purpose = b["properties"]["purpose"]["const"]
                .as_str()
                .unwrap_or_default();
            let mut ids: Vec<String> = b["properties"]["ecerts"]["items"]["enum"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            ids.sort();
            have.insert(purpose.to_owned(), ids);
        }
        assert_eq!(
            have,
            want,
            "components/schemas/ReleaseCertificates in edge/openapi.json: one oneOf branch per \
             event that uses e-certificates, purpose const and the ecerts it may release; want {}",
            serde_json::to_string(&want).unwrap()
        );
    }

    #[test]
    fn every_department_has_an_adapter_and_every_key_is_passed_locally() {
        use banshi_core::adapter::{AdapterConfig, IntakeMode};
        let wrangler: toml::Value =
            toml::from_str(&fs::read_to_string(root().join("edge/wrangler.toml")).unwrap())
                .unwrap();
        let raw = wrangler["vars"]["DEPARTMENT_ADAPTERS"].clone();
        let config: AdapterConfig = serde_json::from_value(serde_json::to_value(raw).unwrap())
            .expect("DEPARTMENT_ADAPTERS parses");
        let catalog = banshi_core::Catalog::embedded();
        assert_eq!(config.check(catalog, "http://127.0.0.1:8788"), vec![]);
        // Each department has a key of its own, and the stack passes each.
        let passed = crate::stack::department_keys().unwrap();
        let mut secrets = std::collections::BTreeSet::new();
        for d in catalog.departments() {
            let adapter = config.resolve(&d.id, "http://127.0.0.1:8788").unwrap();
            assert!(
                passed
                    .iter()
                    .any(|k| k.secret == adapter.key_secret && k.department == d.id),
                "{}: secret {} is not passed by `cargo xtask dev`",
                d.id,
                adapter.key_secret
            );
            assert!(
                secrets.insert(adapter.key_secret.clone()),
                "{}: secret {} is shared with another department",
                d.id,
                adapter.key_secret
            );
        }
        // The poll path is exercised: at least one department is poll-only.
        assert!(config.polled(catalog).count() >= 1);
        assert_eq!(
            config.resolve("housing-fund", "http://x").unwrap().intake,
            IntakeMode::Poll
        );
    }
}
