//! `cargo xtask bench`: the figures in BENCHMARKS.md, written into it.
//!
//!   cargo xtask bench          everything: criterion (guide, submit, validation,
//!                              calendar), bytes of a first and a repeat visit,
//!                              Lighthouse on three pages, the SurveyJS
//!                              side-by-side, the edge under wrk load
//!   cargo xtask bench --quick  the same without the edge load, with short
//!                              criterion runs and fewer browser runs (minutes)
//!   cargo xtask bench --load   only the edge under wrk load
//!
//! The browser side lives in tests/bench/ (Node: Playwright, Lighthouse,
//! SurveyJS, installed from tests/bench/package.json only when benching);
//! tests/bench/report.mjs rewrites the generated part of BENCHMARKS.md.

mod load;

use std::path::{Path, PathBuf};

use crate::env::{self, cmd, exec, step, Result};
use crate::stack::{apply_migrations, free_port, Options, Stack};

pub fn run(args: &[String]) -> Result {
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let out = env::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(out.join("load.md"));
    let _ = std::fs::remove_file(out.join("web.json"));
    let command = if has("--load") {
        "cargo xtask bench --load"
    } else if has("--quick") {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    if !has("--load") {
        criterion(has("--quick"))?;
    }
    crate::setup::run()?;
    if !has("--load") {
        bench_npm()?;
    }
    crate::dist::run()?;
    step("cargo build --release -p banshi-sandbox");
    exec(cmd("cargo").args(["build", "--release", "--quiet", "-p", "banshi-sandbox"]))?;
    let persist = std::env::temp_dir().join(format!("banshi-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist);
    apply_migrations(&persist)?;
    let stack = Stack::start(&Options {
        edge_port: free_port(),
        sandbox_port: free_port(),
        persist: persist.clone(),
        step_ms: 1000,
        quiet: true,
    })?;
    let result = (|| -> Result {
        if !has("--load") {
            browser(&stack, &out, has("--quick"))?;
        }
        if !has("--quick") {
            load::run(&stack, &out.join("load.md"))?;
        }
        Ok(())
    })();
    drop(stack);
    let _ = std::fs::remove_dir_all(&persist);
    result?;
    report(&out, command)
}

/// criterion on core: guide, check_submission, validate_form, calendar.
fn criterion(quick: bool) -> Result {
    step("criterion: core (guide, submit, validation, calendar)");
    let mut c = cmd("cargo");
    c.args([
        "bench",
        "-p",
        "banshi-core",
        "--bench",
        "guide",
        "--bench",
        "submit",
    ]);
    if quick {
        c.args(["--", "--warm-up-time", "1", "--measurement-time", "2"]);
    }
    exec(&mut c)
}

/// Lighthouse and SurveyJS are only for benching: their own package, so
/// `cargo xtask test` never installs them.
fn bench_npm() -> Result {
    let dir = env::root().join("tests/bench");
    let lock = std::fs::read(dir.join("package-lock.json")).map_err(|e| e.to_string())?;
    let stamp = dir.join("node_modules/.banshi-lock");
    let want = format!("{:x}", crate::setup::fnv(&lock));
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step("npm ci in tests/bench (Lighthouse 12.2.3, survey-core, survey-js-ui)");
    exec(
        cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    std::fs::write(&stamp, want).map_err(|e| e.to_string())
}

fn browser(stack: &Stack, out: &Path, quick: bool) -> Result {
    step("browser: bytes, Lighthouse, SurveyJS side by side");
    let mut c = cmd("node");
    c.arg(env::root().join("tests/bench/run.mjs"))
        .env("BANSHI_URL", &stack.edge_url)
        .env("BENCH_OUT", out.join("web.json"))
        .env("CHROME_PATH", "/usr/bin/chromium");
    if quick {
        c.arg("--quick");
    }
    exec(&mut c)
}

fn report(out: &Path, command: &str) -> Result {
    step("BENCHMARKS.md: writing the measured figures");
    let criterion: PathBuf = env::target_dir().join("criterion");
    exec(
        cmd("node")
            .arg(env::root().join("tests/bench/report.mjs"))
            .arg("--web")
            .arg(out.join("web.json"))
            .arg("--criterion")
            .arg(criterion)
            .arg("--load")
            .arg(out.join("load.md"))
            .args(["--command", command]),
    )
}
