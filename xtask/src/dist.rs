//! Build the app (trunk → dist/) and the edge (worker-build → edge/build/).
//!
//! The app's build has three parts, in this order:
//! 1. the home page, prerendered here from the catalog (`prerender.rs`) into
//!    `$CARGO_TARGET_DIR/prerender/home.html`;
//! 2. `trunk build --release`: cargo, wasm-bindgen, wasm-opt, CSS, `public/`;
//! 3. trunk's `post_build` hook (`app/Trunk.toml` → `app/sw/build.mjs`), over
//!    trunk's staging dir so it sees the hashed names: splices the prerendered
//!    home into `index.html`, bundles the service worker with esbuild and
//!    injects Workbox's precache manifest into `sw.js`.

use crate::env::{cmd, exec, step, Result};

pub fn run() -> Result {
    // trunk runs cargo offline; fetch first so a fresh clone has every crate.
    step("cargo fetch");
    exec(cmd("cargo").args(["fetch", "--quiet"]))?;
    step("prerender the home page (catalog → static HTML)");
    let home = crate::env::target_dir().join("prerender/home.html");
    crate::prerender::write(&home)?;
    step("trunk build --release (app → dist/, service worker by Workbox)");
    exec(
        cmd("trunk")
            .args(["build", "--release"])
            .env("BANSHI_PRERENDER", &home)
            .current_dir(crate::env::root().join("app")),
    )?;
    step("worker-build --release (edge → edge/build/)");
    exec(
        cmd("worker-build")
            .arg("--release")
            .current_dir(crate::env::root().join("edge")),
    )?;
    Ok(())
}
