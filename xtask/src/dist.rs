//! Build the app (trunk → dist/) and the edge (worker-build → edge/build/).

use crate::env::{cmd, exec, step, Result};

pub fn run() -> Result {
    // trunk runs cargo offline; fetch first so a fresh clone has every crate.
    step("cargo fetch");
    exec(cmd("cargo").args(["fetch", "--quiet"]))?;
    step("trunk build --release (app → dist/)");
    exec(
        cmd("trunk")
            .args(["build", "--release"])
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
