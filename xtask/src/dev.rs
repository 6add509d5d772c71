//! `cargo xtask dev`: the whole product on http://127.0.0.1:8787, with the
//! sandbox platforms on :8788, the cron ticked each minute. Ctrl-C stops
//! every child. `--no-build` starts on what was built last (after a
//! `trunk build` of the app alone, say).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::env::{self, cmd, exec, step, Result};
use crate::stack::{apply_migrations, Options, Stack};

pub fn run(args: &[String]) -> Result {
    let port = |flag: &str, default: u16| -> u16 {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|p| p.parse().ok())
            .unwrap_or(default)
    };
    crate::setup::run()?;
    if !args.iter().any(|a| a == "--no-build") {
        crate::dist::run()?;
        step("cargo build --release -p banshi-sandbox");
        exec(cmd("cargo").args(["build", "--release", "--quiet", "-p", "banshi-sandbox"]))?;
    }
    let persist = env::state().join("dev");
    apply_migrations(&persist)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).map_err(|e| e.to_string())?;
    step("starting the sandbox and wrangler dev");
    let mut stack = Stack::start(&Options {
        edge_port: port("--port", 8787),
        sandbox_port: port("--sandbox-port", 8788),
        persist,
        step_ms: 4000,
        quiet: false,
    })?;
    eprintln!(
        "\n  Banshi is running:  {}\n  Sandbox platforms:  {}\n  Sign in as any seeded resident. Ctrl-C stops everything.\n",
        stack.edge_url, stack.sandbox_url
    );
    // Locally no cron fires by itself: tick it like Cloudflare would, each minute.
    let (ticking, edge_url) = (stop.clone(), stack.edge_url.clone());
    std::thread::spawn(move || {
        let mut last = std::time::Instant::now();
        while !ticking.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if last.elapsed() >= std::time::Duration::from_secs(60) {
                last = std::time::Instant::now();
                crate::stack::tick_cron(&edge_url);
            }
        }
    });
    let result = stack.wait(&stop);
    eprintln!("stopping…");
    drop(stack);
    result
}
