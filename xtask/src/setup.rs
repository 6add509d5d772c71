//! Install every tool the project needs, pinned, skipping what is already
//! there at the right version. Only package registries are used: crates.io
//! (cargo install --root .tools), npm (npm ci), Debian (apt-get).

use std::fs;

use crate::env::{self, cmd, exec, output, step, Result};

/// (crate, version, binary, extra cargo-install flags)
const CARGO_TOOLS: &[(&str, &str, &str, &[&str])] = &[
    // trunk 0.22 needs a newer rustc than this machine's 1.95.
    ("trunk", "0.21.14", "trunk", &["--locked"]),
    // Same version as the wasm-bindgen crate pinned in Cargo.toml. Not
    // --locked: its lockfile wants a webpki-roots the registry lacks.
    ("wasm-bindgen-cli", "0.2.130", "wasm-bindgen", &[]),
    ("worker-build", "0.8.7", "worker-build", &["--locked"]),
];

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
    for (krate, version, bin, flags) in CARGO_TOOLS {
        cargo_tool(krate, version, bin, flags)?;
    }
    npm()?;
    apt()?;
    Ok(())
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

/// FNV-1a: enough to notice that package-lock.json changed.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}
