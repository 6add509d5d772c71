//! Security headers on every response, the app's and the API's: a CSP that
//! allows only what the app uses (its own origin, its wasm, the inline
//! start-up script trunk writes, by hash — no other inline script), no
//! framing, no sniffing, a strict referrer policy, and HSTS off localhost.
//! The app's files reach the worker first so it can add them (see
//! `run_worker_first` in wrangler.toml).

use worker::{Headers, Request, Response};

use crate::error::EdgeResult;

/// The API answers JSON or bytes, never a page: nothing may load from it.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

fn app_csp(script_hashes: &[String]) -> String {
    let hashes: String = script_hashes
        .iter()
        .map(|h| format!(" 'sha256-{h}'"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The contents of every inline `<script>` (no `src`) in `html`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let open = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !open.contains(" src=") {
            out.push(&body[..close]);
        }
        rest = &body[close..];
    }
    out
}

fn sha256_base64(s: &str) -> String {
    banshi_core::digest::sha256_base64(s.as_bytes())
}

/// Serve over HTTPS only, once seen — but not on a developer's machine.
fn hsts(req: &Request) -> Option<&'static str> {
    let url = req.url().ok()?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    (url.scheme() == "https" && !local).then_some("max-age=31536000; includeSubDomains")
}

fn common(req: &Request, headers: &Headers) -> EdgeResult<()> {
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("referrer-policy", "no-referrer")?;
    headers.set("x-frame-options", "DENY")?;
    if let Some(v) = hsts(req) {
        headers.set("strict-transport-security", v)?;
    }
    Ok(())
}

/// The service worker's script: its validator is computed here, from its
/// bytes (see [`app`]).
const SERVICE_WORKER: &str = "/sw.js";

/// A page is always fetched whole: its CSP names the hashes of its inline
/// scripts, which a 304 (no body) could not give; the browser would keep its
/// cached page under a policy without them. The service worker's script is
/// fetched whole too, and revalidated against its own content. Other files
/// keep revalidating with the assets' own validators.
pub fn unconditional(req: Request) -> worker::Result<Request> {
    let wants_page = req
        .headers()
        .get("accept")?
        .is_some_and(|a| a.contains("text/html"));
    if !wants_page && req.path() != SERVICE_WORKER {
        return Ok(req);
    }
    let headers = Headers::new();
    for (k, v) in req.headers().entries() {
        if k != "if-none-match" && k != "if-modified-since" {
            headers.set(&k, &v)?;
        }
    }
    let mut init = worker::RequestInit::new();
    init.with_method(req.method()).with_headers(headers);
    Request::new_with_init(req.url()?.as_ref(), &init)
}

/// An API answer with the security headers added (keeping any CSP it set,
/// as attachments do).
pub fn api(req: &Request, resp: Response) -> EdgeResult<Response> {
    let headers = resp.headers().clone();
    common(req, &headers)?;
    if !headers.has("content-security-policy")? {
        headers.set("content-security-policy", API_CSP)?;
    }
    Ok(resp.with_headers(headers))
}

/// One of the app's files (from the assets binding), copied with the
/// security headers: a page gets a CSP naming the hash of each of its
/// inline scripts.
pub async fn app(req: &Request, mut resp: Response) -> EdgeResult<Response> {
    let headers = Headers::new();
    for (k, v) in resp.headers().entries() {
        headers.set(&k, &v)?;
    }
    common(req, &headers)?;
    let status = resp.status_code();
    let is_html = headers
        .get("content-type")?
        .is_some_and(|t| t.starts_with("text/html"));
    if is_html {
        let html = resp.text().await?;
        let hashes: Vec<String> = inline_scripts(&html)
            .into_iter()
            .map(sha256_base64)
            .collect();
        headers.set("content-security-policy", &app_csp(&hashes))?;
        headers.delete("content-length")?;
        return Ok(Response::ok(html)?
            .with_status(status)
            .with_headers(headers));
    }
    headers.set("content-security-policy", &app_csp(&[]))?;
    let body = resp.bytes().await?;
    if req.path() == SERVICE_WORKER && status == 200 {
        // A new version must never look like the old one: the browser's
        // update check revalidates this script, and a validator that outlived
        // its content (wrangler dev keeps the first one it computed) would
        // answer 304 and hide the update. Its own hash cannot.
        let etag = format!("\"{}\"", banshi_core::digest::sha256_base64(&body));
        headers.set("etag", &etag)?;
        let seen = req.headers().get("if-none-match")?;
        if seen.is_some_and(|v| v.split(',').any(|t| t.trim() == etag)) {
            headers.delete("content-length")?;
            return Ok(Response::empty()?.with_status(304).with_headers(headers));
        }
    }
    Ok(Response::from_bytes(body)?
        .with_status(status)
        .with_headers(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scripts_without_src_are_hashed() {
        let html = r#"<head><script src="/a.js"></script>
            <script type="module">import init from '/app.js';</script></head>
            <body><script>1</script></body>"#;
        assert_eq!(inline_scripts(html), ["import init from '/app.js';", "1"]);
        assert_eq!(
            sha256_base64(""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn the_app_policy_allows_wasm_but_no_other_inline_script() {
        let csp = app_csp(&["abc".into()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
