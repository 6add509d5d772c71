//! Install every tool the project needs, pinned, skipping what is already
//! there at the right version. Only package registries are used: crates.io
//! (cargo install --root .tools), npm (npm ci), Debian (apt-get), PyPI
//! (schemathesis in a venv, see fuzz.rs).

use std::fs;

use crate::env::{self, cmd, exec, output, step, Result};

/// trunk 0.22 needs a newer rustc than this machine's 1.95.
const TRUNK: &str = "0.21.14";
const WORKER_BUILD: &str = "0.8.7";

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = fs::read_to_string(env::root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    lock.split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_owned())
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen".into())
}

const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    (
        "fonts-noto-cjk",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ),
];

pub fn run() -> Result {
    rust_target()?;
    cargo_tool("trunk", TRUNK, "trunk", &["--locked"])?;
    // Not --locked: its lockfile wants a webpki-roots the registry lacks.
    cargo_tool(
        "wasm-bindgen-cli",
        &locked_wasm_bindgen()?,
        "wasm-bindgen",
        &[],
    )?;
    cargo_tool("worker-build", WORKER_BUILD, "worker-build", &["--locked"])?;
    npm()?;
    apt()?;
    crate::fuzz::install()
}

fn rust_target() -> Result {
    let installed =
        output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|l| l == "wasm32-unknown-unknown") {
        step("rustup target add wasm32-unknown-unknown");
        exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn cargo_tool(krate: &str, version: &str, bin: &str, flags: &[&str]) -> Result {
    let path = env::tools().join("bin").join(bin);
    let have = output(cmd(&path).arg("--version")).unwrap_or_default();
    if have
        .split_whitespace()
        .any(|w| w.trim_start_matches('v') == version)
    {
        return Ok(());
    }
    step(&format!(
        "cargo install {krate} {version} (the first time this takes a while)"
    ));
    // A build dir under the shared target dir lets a fresh clone reuse a warm build.
    let build_dir = env::target_dir().join("xtask-tools");
    exec(
        cmd("cargo")
            .args(["install", krate, "--version", version, "--root"])
            .arg(env::tools())
            .arg("--target-dir")
            .arg(&build_dir)
            .args(flags),
    )
}

fn npm() -> Result {
    let root = env::root();
    let lock =
        fs::read(root.join("package-lock.json")).map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp = root.join("node_modules/.banshi-lock");
    let want = format!("{:x}", fnv(&lock));
    if fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    step("npm ci (wrangler, binaryen, esbuild, Playwright)");
    exec(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    fs::write(&stamp, want).map_err(|e| e.to_string())
}

fn apt() -> Result {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, file)| !std::path::Path::new(file).exists())
        .map(|(p, _)| *p)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("apt-get install {}", missing.join(" ")));
    let sudo = output(cmd("id").arg("-u")).as_deref() != Some("0");
    let apt = |args: &[&str]| {
        let mut c = if sudo { cmd("sudo") } else { cmd("apt-get") };
        if sudo {
            c.arg("apt-get");
        }
        c.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        c
    };
    exec(&mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    exec(&mut install)
}

/// FNV-1a: enough to notice that a lock file changed.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wasm_bindgen_cli_version_comes_from_the_lockfile() {
        assert_eq!(super::locked_wasm_bindgen().unwrap(), "0.2.130");
    }
}
