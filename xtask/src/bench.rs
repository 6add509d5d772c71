//! `cargo xtask bench`: the figures in BENCHMARKS.md.
//!
//!   cargo xtask bench          criterion: the guide engine on the largest event
//!   cargo xtask bench --load   wrk against the edge on workerd (loopback):
//!                              catalog, tracking, submit at 50 and 200 connections

use crate::env::{self, cmd, exec, output, step, Result};
use crate::stack::{apply_migrations, free_port, Options, Stack};

pub fn run(args: &[String]) -> Result {
    if args.iter().any(|a| a == "--load") {
        return load();
    }
    step("criterion: guide engine on the largest event");
    exec(cmd("cargo").args(["bench", "-p", "banshi-core", "--bench", "guide"]))
}

fn load() -> Result {
    crate::setup::run()?;
    if output(cmd("wrk").arg("--version")).is_none()
        && !std::path::Path::new("/usr/bin/wrk").exists()
    {
        step("apt-get install wrk");
        exec(
            cmd("apt-get")
                .args(["install", "-y", "-qq", "wrk"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    crate::dist::run()?;
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
    step("wrk: catalog, tracking, submit at 50 and 200 connections");
    let result = exec(
        cmd("node")
            .arg(env::root().join("tests/bench/load.mjs"))
            .env("BANSHI_URL", &stack.edge_url)
            .env("SANDBOX_URL", &stack.sandbox_url),
    );
    drop(stack);
    let _ = std::fs::remove_dir_all(&persist);
    result
}
