//! `cargo xtask soak`: "nothing lost, nothing duplicated" under faults
//! (issue 12), bounded in count and time, loopback only. The driver
//! (tests/soak/soak.mjs) submits while the sandbox departments fail, drop,
//! repeat and reorder; this task kills and restarts the edge's workerd on
//! the same persisted state at the progress points, then the driver compares
//! the edge's D1 with the departments' own records.
//!
//!   cargo xtask soak [--submissions 1000] [--restarts 2] [--settle-secs 600]
//!
//! `cargo xtask test` runs a short one (100 submissions, one restart).
//! With `SOAK_KEEP=1` the edge's D1 is kept afterwards (its path is
//! printed), to read the rows of an item the soak names.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::env::{self, cmd, exec, step, Result};
use crate::stack::{apply_migrations, department_keys, department_keys_json, free_port};
use crate::stack::{Options, Stack};

pub struct Soak {
    pub submissions: u32,
    pub restarts: u32,
    pub settle_secs: u32,
}

pub fn run(args: &[String]) -> Result {
    let flag = |name: &str, default: u32| -> u32 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    crate::setup::run()?;
    crate::dist::run()?;
    step("cargo build --release -p banshi-sandbox");
    exec(cmd("cargo").args(["build", "--release", "--quiet", "-p", "banshi-sandbox"]))?;
    if args.iter().any(|a| a == "--short") {
        return short();
    }
    soak(&Soak {
        submissions: flag("--submissions", 1000),
        restarts: flag("--restarts", 2),
        settle_secs: flag("--settle-secs", 600),
    })
}

/// The short soak `cargo xtask test` runs (everything already built).
pub fn short() -> Result {
    soak(&Soak {
        submissions: 100,
        restarts: 1,
        settle_secs: 240,
    })
}

/// One soak on a fresh stack (the app and edge already built).
pub fn soak(s: &Soak) -> Result {
    let persist = std::env::temp_dir().join(format!("banshi-soak-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&persist);
    apply_migrations(&persist)?;
    let options = Options {
        edge_port: free_port(),
        sandbox_port: free_port(),
        persist: persist.clone(),
        step_ms: 300,
        quiet: true,
    };
    step(&format!(
        "soak: {} submissions, {} restart(s) of the edge, under faults",
        s.submissions, s.restarts
    ));
    let mut stack = Stack::start(&options)?;
    let mut driver = cmd("node")
        .arg(env::root().join("tests/soak/soak.mjs"))
        .env("BANSHI_URL", &stack.edge_url)
        .env("SANDBOX_URL", &stack.sandbox_url)
        .env("BANSHI_PERSIST", &persist)
        .env("DEPARTMENT_KEYS", department_keys_json(&department_keys()?))
        .env("SOAK_SUBMISSIONS", s.submissions.to_string())
        .env("SOAK_SETTLE_SECS", s.settle_secs.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("node soak.mjs: {e}"))?;
    let lines = BufReader::new(driver.stdout.take().ok_or("no driver output")?);
    // Restart points, evenly through the submissions.
    let points: Vec<u32> = (1..=s.restarts)
        .map(|r| s.submissions * r / (s.restarts + 1))
        .collect();
    let mut restarted = 0;
    let mut result = None;
    for line in lines.lines() {
        let line = line.map_err(|e| e.to_string())?;
        eprintln!("  {line}");
        if let Some(done) = line
            .strip_prefix("progress ")
            .and_then(|p| p.split('/').next())
            .and_then(|d| d.parse::<u32>().ok())
        {
            while restarted < points.len() && done >= points[restarted] {
                restarted += 1;
                eprintln!("  (killing the edge's workerd and starting it again on the same state)");
                stack.restart_edge(&options)?;
            }
        }
        if let Some(json) = line.strip_prefix("result ") {
            result = Some(json.to_owned());
        }
    }
    let status = driver.wait().map_err(|e| e.to_string())?;
    drop(stack);
    if std::env::var_os("SOAK_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&persist);
    } else {
        eprintln!("kept the edge's state in {}", persist.display());
    }
    match result {
        Some(json) if status.success() => {
            eprintln!("\nsoak passed ({restarted} restart(s)): {json}");
            Ok(())
        }
        Some(json) => Err(format!("the soak found problems: {json}")),
        None => Err(format!("the soak driver failed ({status})")),
    }
}
