// A CDN stand-in on loopback: forwards to an origin (wrangler dev, or the
// SurveyJS server) and brotli-compresses (quality 11) text, JS, JSON and wasm
// for clients that accept it, as Cloudflare does in production. Local
// wrangler dev sends gzip only, and the SurveyJS server nothing; measuring
// throttled load times or Lighthouse without this would charge both apps for
// bytes no phone receives, and unevenly.
// Both apps of the side-by-side go through the same proxy.
import http from 'node:http';
import zlib from 'node:zlib';
import crypto from 'node:crypto';

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|wasm|manifest\+json|xml)|image\/svg\+xml)/;
const cache = new Map(); // sha256 of body → brotli bytes (q11 is slow; bodies repeat)

function brotli(body) {
  const key = crypto.createHash('sha256').update(body).digest('hex');
  let out = cache.get(key);
  if (!out) {
    out = zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    cache.set(key, out);
  }
  return out;
}

export function compressingProxy(origin) {
  const target = new URL(origin);
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: target.host };
    delete headers['accept-encoding']; // the origin sends identity; we compress
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (up) => {
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const out = { ...up.headers };
          delete out['content-length'];
          delete out['transfer-encoding'];
          const type = String(up.headers['content-type'] ?? '');
          const wantsBr = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));
          if (wantsBr && body.length > 0 && COMPRESSIBLE.test(type) && !up.headers['content-encoding']) {
            const br = brotli(body);
            out['content-encoding'] = 'br';
            out['vary'] = 'accept-encoding';
            out['content-length'] = String(br.length);
            res.writeHead(up.statusCode, out);
            res.end(br);
          } else {
            out['content-length'] = String(body.length);
            res.writeHead(up.statusCode, out);
            res.end(body);
          }
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
