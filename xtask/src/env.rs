//! Where things live and the environment every child process gets: project
//! tools first on PATH, caches and configs inside the project, no telemetry.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo-installed tools (`.tools/` unless BANSHI_TOOLS says otherwise).
pub fn tools() -> PathBuf {
    std::env::var_os("BANSHI_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".tools"))
}

/// Local state: wrangler config/logs, caches, dev databases.
pub fn state() -> PathBuf {
    root().join(".state")
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

/// A command with the project's environment.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    let path = format!(
        "{}:{}:{}",
        tools().join("bin").display(),
        root().join("node_modules/.bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    c.env("PATH", path)
        .env("XDG_CACHE_HOME", state().join("cache"))
        .env("XDG_CONFIG_HOME", state().join("config"))
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("WASM_BINDGEN_BIN", tools().join("bin/wasm-bindgen"))
        .env(
            "WASM_OPT_BIN",
            root().join("node_modules/binaryen/bin/wasm-opt"),
        )
        .env(
            "ESBUILD_BIN",
            root().join("node_modules/@esbuild/linux-x64/bin/esbuild"),
        )
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env("PLAYWRIGHT_BROWSERS_PATH", "0")
        .current_dir(root());
    c
}

/// Run to completion; a non-zero exit is an error naming the command.
pub fn exec(c: &mut Command) -> Result {
    let shown = format!("{c:?}");
    let status = c
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed ({status}): {shown}"))
    }
}

/// Run and capture stdout (trimmed); `None` if it cannot run or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}
