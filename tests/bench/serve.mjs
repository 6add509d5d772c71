// A static file server on loopback for the SurveyJS page (tests/bench/surveyjs/),
// its npm files (/vendor/<package>/… from tests/bench/node_modules) and the
// event it is built from (/newborn.json).
// No compression, like local workerd: the benches compute gzip and brotli
// of each body themselves, the same way for both apps.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/// `event` is the JSON of GET /api/events/newborn from the Banshi edge under
/// test, served as /newborn.json: the SurveyJS page builds its model from it.
export function serveSurveyJs(event) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/newborn.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      res.end(event);
      return;
    }
    let file;
    if (url.pathname.startsWith('/vendor/')) {
      file = path.join(here, 'node_modules', url.pathname.slice('/vendor/'.length));
    } else {
      file = path.join(here, 'surveyjs', url.pathname === '/' ? 'index.html' : url.pathname);
    }
    const inside = file.startsWith(path.join(here, 'surveyjs')) || file.startsWith(path.join(here, 'node_modules'));
    if (!inside || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
