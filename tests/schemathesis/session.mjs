// A resident's signed-in session over plain HTTP (the sandbox's identity
// provider, as a browser would go through it), for tools outside the
// browser: the soak imports `signIn`; run directly, it prints
// `{"cookie": …, "csrf": …}` for schemathesis' signed-in run.
//
//   node tests/schemathesis/session.mjs <edge url> <sandbox url> <resident>
import { fileURLToPath } from 'node:url';

/** Sign `resident` in; `call` is fetch, or one that retries. */
export async function signIn(base, sandbox, resident, call = fetch) {
  const jar = new Map();
  const keep = (r) => {
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const at = kv.indexOf('=');
      jar.set(kv.slice(0, at).trim(), kv.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let r = await call(`${base}/api/auth/login?return_to=/`, { redirect: 'manual' });
  keep(r);
  const authorize = new URL(r.headers.get('location'));
  const form = new URLSearchParams(authorize.searchParams);
  form.set('resident', resident);
  r = await call(`${sandbox}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  r = await call(r.headers.get('location'), { redirect: 'manual', headers: { cookie: cookie() } });
  keep(r);
  const session = await (await call(`${base}/api/session`, { headers: { cookie: cookie() } })).json();
  if (!session.resident) throw new Error(`sign-in of ${resident} failed`);
  return { resident, cookie, csrf: session.csrf_token };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [base, sandbox, resident] = process.argv.slice(2);
  const s = await signIn(base, sandbox, resident);
  process.stdout.write(`${JSON.stringify({ cookie: s.cookie(), csrf: s.csrf })}\n`);
}
