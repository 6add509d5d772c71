//! The edge under load: wrk against `wrangler dev` on loopback for catalog,
//! tracking and submit at 50 and 200 connections (tests/bench/load.mjs).

use std::path::Path;

use crate::env::{self, cmd, exec, output, step, Result};
use crate::stack::Stack;

pub fn run(stack: &Stack, table: &Path) -> Result {
    if output(cmd("wrk").arg("--version")).is_none() && !Path::new("/usr/bin/wrk").exists() {
        step("apt-get install wrk");
        exec(
            cmd("apt-get")
                .args(["install", "-y", "-qq", "wrk"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    step("wrk: catalog, tracking, submit at 50 and 200 connections");
    let file = std::fs::File::create(table).map_err(|e| e.to_string())?;
    exec(
        cmd("node")
            .arg(env::root().join("tests/bench/load.mjs"))
            .env("BANSHI_URL", &stack.edge_url)
            .env("SANDBOX_URL", &stack.sandbox_url)
            .stdout(file),
    )
}
