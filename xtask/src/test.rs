//! `cargo xtask test`: everything CI runs, in order, stopping at the first
//! failure. The edge runs on real workerd (wrangler dev) with a fresh local
//! D1 per run; the browser is Debian's Chromium driven by Playwright. Then
//! schemathesis fuzzes the same stack (fuzz.rs) and a short soak (100
//! submissions under faults, one edge restart; soak.rs) runs on its own.
//!
//! `cargo xtask test --e2e-only` skips fmt, clippy and the native tests;
//! `-- <args>` passes the rest to Playwright (`-- tests/edge/platforms.spec.ts`).

use crate::env::{self, cmd, exec, step, Result};
use crate::stack::{
    apply_migrations, department_keys, department_keys_json, free_port, Options, Stack,
};

pub fn run(args: &[String]) -> Result {
    let e2e_only = args.iter().any(|a| a == "--e2e-only");
    // Anything after `--` goes to Playwright (a file, `-g pattern`).
    let playwright_args: Vec<&String> = args.iter().skip_while(|a| *a != "--").skip(1).collect();
    let focused = !playwright_args.is_empty();
    crate::setup::run()?;
    if !e2e_only {
        step("cargo fmt --check");
        exec(cmd("cargo").args(["fmt", "--all", "--check"]))?;
        step("cargo clippy -D warnings (native, all targets)");
        exec(cmd("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]))?;
        step("cargo clippy -D warnings (wasm32: app and edge)");
        exec(cmd("cargo").args([
            "clippy",
            "--quiet",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "banshi-app",
            "-p",
            "banshi-edge",
            "--",
            "-D",
            "warnings",
        ]))?;
        step("native tests (core: catalog lint, guide, validation, statuses, calendar; edge rules; sandbox; xtask)");
        exec(cmd("cargo").args([
            "test",
            "-p",
            "banshi-core",
            "-p",
            "banshi-edge",
            "-p",
            "banshi-sandbox",
            "-p",
            "xtask",
        ]))?;
    }
    crate::dist::run()?;
    step("cargo build --release -p banshi-sandbox");
    exec(cmd("cargo").args(["build", "--release", "--quiet", "-p", "banshi-sandbox"]))?;

    let persist = std::env::temp_dir().join(format!("banshi-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist);
    apply_migrations(&persist)?;
    step("starting the sandbox and wrangler dev on free ports");
    let stack = Stack::start(&Options {
        edge_port: free_port(),
        sandbox_port: free_port(),
        persist: persist.clone(),
        step_ms: 300,
        quiet: true,
    })?;
    step("Playwright: edge integration (api) and end-to-end (browser) tests");
    let result = exec(
        cmd(env::node_bin("playwright"))
            .args(["test", "--config", "tests/playwright.config.ts"])
            .args(playwright_args)
            .env("BANSHI_URL", &stack.edge_url)
            .env("SANDBOX_URL", &stack.sandbox_url)
            .env("DEPARTMENT_KEYS", department_keys_json(&department_keys()?))
            // Tests that set up stored state directly (an application made
            // under an older catalog) write to the same local D1.
            .env("BANSHI_PERSIST", &persist),
    );
    // Not after a focused run (`-- file`): those are for iterating.
    let result = result.and_then(|()| match focused {
        true => Ok(()),
        false => crate::fuzz::run(&stack.edge_url, &stack.sandbox_url),
    });
    drop(stack);
    let _ = std::fs::remove_dir_all(&persist);
    result?;
    match focused {
        true => Ok(()),
        false => crate::soak::short(),
    }
}
