// Serves a built Chartroom (dist/) on 127.0.0.1 without trunk's file
// watcher (which panicked once in three cold starts: notify-debouncer-full
// "index out of bounds"), compressed as a static host would: brotli when the
// browser accepts it, else gzip (node's zlib; nothing to download). Each
// file is compressed once, on first request.
//
//   node scripts/serve.mjs [--dir dist] [--port 8080]
//
// Prints the URL once listening; exits non-zero with the reason otherwise
// (no dist/index.html, port taken, ...).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const dir = path.resolve(opt('dir', 'dist'));
const port = Number(opt('port', '8080'));

if (!fs.existsSync(path.join(dir, 'index.html'))) {
  console.error(`serve: ${dir}/index.html is missing: build the bundle first (trunk build --release)`);
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.yaml': 'text/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
// Types worth compressing (wasm and text; images are compressed already).
const COMPRESSIBLE = new Set(['.html', '.js', '.wasm', '.css', '.json', '.svg', '.yaml', '.txt']);

/** path → { mtimeMs, raw, br, gzip } */
const cache = new Map();

function load(file) {
  const st = fs.statSync(file);
  let e = cache.get(file);
  if (!e || e.mtimeMs !== st.mtimeMs) {
    e = { mtimeMs: st.mtimeMs, raw: fs.readFileSync(file) };
    cache.set(file, e);
  }
  return e;
}

function encoded(e, encoding) {
  if (!e[encoding]) {
    e[encoding] = encoding === 'br'
      ? zlib.brotliCompressSync(e.raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: e.raw.length } })
      : zlib.gzipSync(e.raw, { level: 9 });
  }
  return e[encoding];
}

/** The encoding to send for an Accept-Encoding header: br, then gzip, else none. */
function pickEncoding(accept = '') {
  const offered = accept.split(',').map((p) => p.trim().split(';'))
    .filter(([, q]) => !q || Number(q.split('=')[1]) > 0).map(([name]) => name.trim().toLowerCase());
  if (offered.includes('br')) return 'br';
  if (offered.includes('gzip')) return 'gzip';
  return null;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let rel;
  try {
    rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    res.writeHead(400).end('bad path');
    return;
  }
  const file = path.resolve(dir, '.' + rel);
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const ext = path.extname(file);
  const e = load(file);
  const encoding = COMPRESSIBLE.has(ext) ? pickEncoding(req.headers['accept-encoding']) : null;
  const body = encoding ? encoded(e, encoding) : e.raw;
  const headers = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    vary: 'accept-encoding',
  };
  if (encoding) headers['content-encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.on('error', (err) => {
  const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use (stop the other server or pass --port N)` : err.message;
  console.error(`serve: cannot listen on 127.0.0.1:${port}: ${why}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`Chartroom: http://127.0.0.1:${server.address().port}/ (serving ${path.relative(process.cwd(), dir) || dir}, brotli/gzip; Ctrl-C stops it)`);
});
