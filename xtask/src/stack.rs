//! The running product: the sandbox platforms and `wrangler dev` (workerd)
//! serving app + API on one origin. Each child runs in its own process
//! group, so stopping it also stops what it started (wrangler → workerd);
//! `Drop` stops everything, so no child outlives the task.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::env::{self, cmd, exec, step, Result};

/// Secrets the sandbox and the edge share locally. Real deployments set
/// their own with `wrangler secret put`.
pub const CLIENT_SECRET: &str = "sandbox-client-secret";
pub const SMS_KEY: &str = "sandbox-sms-key";
pub const EVALUATION_KEY: &str = "sandbox-evaluation-key";
pub const ECERT_KEY: &str = "sandbox-ecert-key";
/// Lets `POST /api/ops/cron` run the cron locally (see edge/src/handlers/ops.rs).
pub const CRON_TOKEN: &str = "local-cron-token";

/// One department's key: the secret its adapter names (`DEPARTMENT_ADAPTERS`
/// in edge/wrangler.toml) and the value both sides get locally.
pub struct DepartmentKey {
    pub department: String,
    pub secret: String,
    pub value: String,
}

/// Every catalog department's own key, named as the edge's adapters name it.
pub fn department_keys() -> Result<Vec<DepartmentKey>> {
    use banshi_core::adapter::AdapterConfig;
    let text = std::fs::read_to_string(env::root().join("edge/wrangler.toml"))
        .map_err(|e| format!("edge/wrangler.toml: {e}"))?;
    let wrangler: toml::Value = toml::from_str(&text).map_err(|e| format!("wrangler.toml: {e}"))?;
    let raw = wrangler["vars"]["DEPARTMENT_ADAPTERS"].clone();
    let config: AdapterConfig = serde_json::to_value(raw)
        .and_then(serde_json::from_value)
        .map_err(|e| format!("DEPARTMENT_ADAPTERS: {e}"))?;
    banshi_core::Catalog::embedded()
        .departments()
        .iter()
        .map(|d| {
            let adapter = config
                .resolve(&d.id, "http://127.0.0.1")
                .map_err(|e| e.to_string())?;
            Ok(DepartmentKey {
                department: d.id.clone(),
                secret: adapter.key_secret,
                value: format!("sandbox-department-key-{}", d.id),
            })
        })
        .collect()
}

/// The keys as the sandbox and the tests read them: `{"hrss": "…", …}`.
pub fn department_keys_json(keys: &[DepartmentKey]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .map(|k| (k.department.clone(), k.value.clone().into()))
        .collect();
    serde_json::Value::Object(map).to_string()
}

pub struct Options {
    pub edge_port: u16,
    pub sandbox_port: u16,
    pub persist: PathBuf,
    pub step_ms: u64,
    pub quiet: bool,
}

pub struct Stack {
    children: Vec<(String, Child)>,
    pub edge_url: String,
    pub sandbox_url: String,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A minimal GET over loopback; the status code, or `None` if nothing answers.
pub fn http_status(url: &str) -> Option<u16> {
    request("GET", url, "")
}

/// Run the edge's cron once (what Cloudflare's trigger does every minute).
pub fn tick_cron(edge_url: &str) -> Option<u16> {
    request(
        "POST",
        &format!("{edge_url}/api/ops/cron"),
        &format!("Authorization: Bearer {CRON_TOKEN}\r\nContent-Length: 0\r\n"),
    )
}

/// A bare HTTP/1.1 request on loopback (no client crate for two calls);
/// `headers` are extra CRLF-terminated lines.
fn request(method: &str, url: &str, headers: &str) -> Option<u16> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut s = TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).ok()?;
    std::str::from_utf8(&buf[..n])
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn wait_until(url: &str, want: u16, limit: Duration, child: &mut Child) -> Result {
    let start = Instant::now();
    while start.elapsed() < limit {
        if http_status(url) == Some(want) {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{url}: the process exited early ({status})"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("{url} did not answer {want} within {limit:?}"))
}

pub fn apply_migrations(persist: &Path) -> Result {
    step("D1 migrations (local)");
    exec(
        cmd(env::node_bin("wrangler"))
            .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
            .arg(persist)
            .env("CI", "true")
            .env("SKIP_WORKER_BUILD", "1")
            .current_dir(env::root().join("edge")),
    )
}

impl Stack {
    pub fn start(o: &Options) -> Result<Stack> {
        let edge_url = format!("http://127.0.0.1:{}", o.edge_port);
        let sandbox_url = format!("http://127.0.0.1:{}", o.sandbox_port);
        let mut stack = Stack {
            children: Vec::new(),
            edge_url: edge_url.clone(),
            sandbox_url: sandbox_url.clone(),
        };
        let out = |quiet: bool| {
            if quiet {
                Stdio::null()
            } else {
                Stdio::inherit()
            }
        };

        let keys = department_keys()?;
        let sandbox = cmd(env::target_dir().join("release/banshi-sandbox"))
            .args([
                "--port",
                &o.sandbox_port.to_string(),
                "--edge-url",
                &edge_url,
            ])
            .args(["--step-ms", &o.step_ms.to_string()])
            .env("BANSHI_DEPARTMENT_KEYS", department_keys_json(&keys))
            .env("BANSHI_IDP_CLIENT_SECRET", CLIENT_SECRET)
            .env("BANSHI_SMS_KEY", SMS_KEY)
            .env("BANSHI_EVALUATION_KEY", EVALUATION_KEY)
            .env("BANSHI_ECERT_KEY", ECERT_KEY)
            .stdout(out(o.quiet))
            .process_group(0)
            .spawn()
            .map_err(|e| format!("sandbox: {e}"))?;
        stack.children.push(("sandbox".into(), sandbox));

        let wrangler = spawn_wrangler(o, &sandbox_url, &keys)?;
        stack.children.push(("wrangler".into(), wrangler));

        let (_, sandbox) = &mut stack.children[0];
        wait_until(
            &format!("{sandbox_url}/_sandbox/health"),
            200,
            Duration::from_secs(20),
            sandbox,
        )?;
        let (_, wrangler) = &mut stack.children[1];
        wait_until(
            &format!("{edge_url}/api/events"),
            200,
            Duration::from_secs(90),
            wrangler,
        )?;
        Ok(stack)
    }

    /// Block until a child exits or `stop` is set (Ctrl-C).
    pub fn wait(&mut self, stop: &std::sync::atomic::AtomicBool) -> Result {
        loop {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok(());
            }
            for (name, child) in &mut self.children {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("{name} exited ({status})"));
                }
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// `wrangler dev` (and its workerd) on the edge port, over the persisted state.
fn spawn_wrangler(o: &Options, sandbox_url: &str, keys: &[DepartmentKey]) -> Result<Child> {
    let out = if o.quiet {
        Stdio::null()
    } else {
        Stdio::inherit()
    };
    let inspector = free_port();
    cmd(env::node_bin("wrangler"))
        .args([
            "dev",
            "--ip",
            "127.0.0.1",
            "--port",
            &o.edge_port.to_string(),
        ])
        .args(["--inspector-port", &inspector.to_string()])
        .arg("--persist-to")
        .arg(&o.persist)
        .args([
            "--test-scheduled",
            "--show-interactive-dev-session=false",
            "--log-level",
            "warn",
        ])
        .args(["--var", &format!("PLATFORM_URL:{sandbox_url}")])
        .args(["--var", &format!("IDP_PUBLIC_URL:{sandbox_url}")])
        .args(["--var", &format!("IDP_CLIENT_SECRET:{CLIENT_SECRET}")])
        .args(
            keys.iter()
                .flat_map(|k| ["--var".to_owned(), format!("{}:{}", k.secret, k.value)]),
        )
        .args(["--var", &format!("SMS_HMAC_KEY:{SMS_KEY}")])
        .args(["--var", &format!("EVALUATION_HMAC_KEY:{EVALUATION_KEY}")])
        .args(["--var", &format!("ECERT_HMAC_KEY:{ECERT_KEY}")])
        .args(["--var", &format!("CRON_TRIGGER_TOKEN:{CRON_TOKEN}")])
        .args(["--var", "LOCAL_DEVELOPMENT:1"])
        .env("SKIP_WORKER_BUILD", "1")
        .stdin(Stdio::null())
        .stdout(out)
        .current_dir(env::root().join("edge"))
        .process_group(0)
        .spawn()
        .map_err(|e| format!("wrangler dev: {e}"))
}

impl Stack {
    /// Kill the edge (wrangler and workerd, at once, as a crash would) and
    /// start it again on the same persisted state; back when it answers.
    pub fn restart_edge(&mut self, o: &Options) -> Result {
        let i = self
            .children
            .iter()
            .position(|(name, _)| name == "wrangler")
            .ok_or("no edge to restart")?;
        let (_, mut old) = self.children.remove(i);
        signal_group(&old, libc::SIGKILL);
        let _ = old.wait();
        let keys = department_keys()?;
        let mut child = spawn_wrangler(o, &self.sandbox_url, &keys)?;
        wait_until(
            &format!("{}/api/events", self.edge_url),
            200,
            Duration::from_secs(90),
            &mut child,
        )?;
        self.children.push(("wrangler".into(), child));
        Ok(())
    }
}

/// Signal a child's whole process group (wrangler's workerd included).
fn signal_group(child: &Child, signal: libc::c_int) {
    let pgid = child.id() as libc::pid_t;
    // SAFETY: kill(2) with a negative pid signals that process group; no memory is involved.
    unsafe {
        libc::kill(-pgid, signal);
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        for (_, child) in &self.children {
            signal_group(child, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        for (_, child) in &mut self.children {
            while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(100));
            }
            // Whatever is left of the group (wrangler may leave workerd behind).
            signal_group(child, libc::SIGKILL);
            let _ = child.wait();
        }
    }
}
