//! `cargo xtask <task>`: Banshi's own automation, in Rust.
//!
//!   setup   install every tool, pinned, into the project (idempotent)
//!   build   build the app (trunk) and the edge (worker-build), release
//!   dev     set up, build, and serve app + edge + sandbox on http://127.0.0.1:8787
//!   test    set up and run everything CI runs: fmt, clippy, native tests,
//!           edge and browser tests on workerd, schemathesis, a short soak
//!   bench   the benchmarks behind BENCHMARKS.md
//!   soak    1,000 submissions under faults and edge restarts: nothing lost or duplicated
//!           (`--short`: 100 submissions, one restart, as in test)
//!   fuzz    schemathesis against the edge's OpenAPI document (also part of test)

mod bench;
mod dev;
mod dist;
mod env;
mod fuzz;
mod prerender;
mod setup;
mod soak;
mod stack;
mod test;
mod tidy;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("build") => setup::run().and_then(|()| dist::run()),
        Some("dev") => dev::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        Some("fuzz") => fuzz::standalone(),
        _ => {
            eprintln!(
                "{}",
                include_str!("main.rs")
                    .lines()
                    .skip(2)
                    .take(9)
                    .map(|l| l.trim_start_matches("//!"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
