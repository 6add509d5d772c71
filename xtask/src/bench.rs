//! `cargo xtask bench`: the figures in BENCHMARKS.md.

use crate::env::{cmd, exec, step, Result};

pub fn run(_args: &[String]) -> Result {
    step("criterion: guide engine on the largest event");
    exec(cmd("cargo").args(["bench", "-p", "banshi-core", "--bench", "guide"]))
}
