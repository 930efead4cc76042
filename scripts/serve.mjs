// Serves a built Chartroom (dist/) on 127.0.0.1 without trunk's file
// watcher (which panicked once in three cold starts: notify-debouncer-full
// "index out of bounds"), compressed as a static host would: brotli when the
// browser accepts it, else gzip (node's zlib; nothing to download).
//
//   node scripts/serve.mjs [--dir dist] [--port 8080] [--cache DIR]
//
// Brotli at quality 11 takes seconds per megabyte (5–6 s for each 1 MB wasm
// on a loaded 2-core machine), so it never runs while a request waits:
// every compressible file is brotli-compressed in the background from the
// start (top-level files first, smallest first), one at a time, and kept in
// a cache keyed by the file's sha256 (--cache, default
// $TMPDIR/chartroom-serve-cache), so a restart on the same build has them at
// once. Until a file's brotli is ready it is sent gzip-compressed (about
// 80 ms per megabyte).
//
// Prints the URL only after the server has answered its own request for
// index.html; exits non-zero with the reason otherwise (no dist/index.html,
// port taken, no answer).

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const dir = path.resolve(opt('dir', 'dist'));
const port = Number(opt('port', '8080'));
const cacheDir = path.resolve(opt('cache', path.join(os.tmpdir(), 'chartroom-serve-cache')));

const fail = (msg) => {
  console.error(`serve: ${msg}`);
  process.exit(1);
};

if (!fs.existsSync(path.join(dir, 'index.html'))) {
  fail(`${dir}/index.html is missing: build the bundle first (trunk build --release)`);
}
try {
  fs.mkdirSync(cacheDir, { recursive: true });
} catch (e) {
  fail(`cannot create the brotli cache ${cacheDir}: ${e.message} (pass --cache DIR)`);
}
// Each build adds its files to the cache: entries older than two weeks and
// leftovers of interrupted writes go.
for (const name of fs.readdirSync(cacheDir)) {
  try {
    const f = path.join(cacheDir, name);
    const age = Date.now() - fs.statSync(f).mtimeMs;
    if ((name.endsWith('.br') && age > 14 * 86_400_000) || (name.endsWith('.tmp') && age > 3_600_000)) fs.rmSync(f);
  } catch {
    // another server's file, gone already
  }
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

/** path → { mtimeMs, size, raw, sha, gzip?, br? } */
const cache = new Map();

function load(file) {
  const st = fs.statSync(file);
  let e = cache.get(file);
  if (!e || e.mtimeMs !== st.mtimeMs || e.size !== st.size) {
    const raw = fs.readFileSync(file);
    e = { mtimeMs: st.mtimeMs, size: st.size, raw, sha: crypto.createHash('sha256').update(raw).digest('hex') };
    // A brotli from an earlier run on the same bytes.
    try {
      e.br = fs.readFileSync(path.join(cacheDir, `${e.sha}.br`));
    } catch {
      // not compressed yet
    }
    cache.set(file, e);
  }
  return e;
}

// Background brotli, one file at a time (zlib's async call runs on libuv's
// thread pool, so requests are answered meanwhile).
const queue = [];
let running = false;
let current = null;
let done = 0;
const started = Date.now();

// Said once, when the start-up batch (every file) is done.
let batchQueued = false;
let announced = false;

/** Queues `files` (at the front with `first`) and starts the compression if idle. */
function enqueue(files, first = false) {
  for (const file of files) {
    if (file === current) continue;
    if (queue.includes(file)) {
      if (!first) continue;
      queue.splice(queue.indexOf(file), 1);
    }
    if (first) queue.unshift(file);
    else queue.push(file);
  }
  if (!running) next();
}

function next() {
  const file = queue.shift();
  current = file ?? null;
  if (!file) {
    running = false;
    if (batchQueued && !announced) console.log(`serve: brotli ready for all ${done} files (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    announced = batchQueued;
    return;
  }
  running = true;
  let e;
  try {
    e = load(file);
  } catch {
    next(); // removed by a rebuild
    return;
  }
  if (e.br) {
    done++;
    next();
    return;
  }
  zlib.brotliCompress(e.raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: e.raw.length } }, (err, br) => {
    if (!err) {
      e.br = br;
      done++;
      // Written under a temporary name, then renamed: a reader never sees half a file.
      const tmp = path.join(cacheDir, `${e.sha}.${process.pid}.tmp`);
      try {
        fs.writeFileSync(tmp, br);
        fs.renameSync(tmp, path.join(cacheDir, `${e.sha}.br`));
      } catch {
        // The cache only saves time on the next start.
      }
    }
    next();
  });
}

/** Every compressible file under `d`: top-level ones first, each group smallest first. */
function compressible(d) {
  const top = [];
  const rest = [];
  const walk = (sub, into) => {
    for (const ent of fs.readdirSync(sub, { withFileTypes: true })) {
      const full = path.join(sub, ent.name);
      if (ent.isDirectory()) walk(full, rest);
      else if (COMPRESSIBLE.has(path.extname(ent.name))) into.push([full, fs.statSync(full).size]);
    }
  };
  walk(d, top);
  const bySize = (a, b) => a[1] - b[1];
  return [...top.sort(bySize), ...rest.sort(bySize)].map(([f]) => f);
}

/** The encodings the browser accepts, among br and gzip. */
function accepted(header = '') {
  return new Set(header.split(',').map((p) => p.trim().split(';'))
    .filter(([, q]) => !q || Number(q.split('=')[1]) > 0).map(([name]) => name.trim().toLowerCase())
    .filter((n) => n === 'br' || n === 'gzip'));
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
  let e;
  try {
    if (!file.startsWith(dir + path.sep) || !fs.statSync(file).isFile()) throw new Error('not a file');
    e = load(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const ext = path.extname(file);
  const ok = COMPRESSIBLE.has(ext) ? accepted(req.headers['accept-encoding']) : new Set();
  let encoding = null;
  if (ok.has('br') && e.br) encoding = 'br';
  else {
    if (ok.has('br')) enqueue([file], true);
    if (ok.has('gzip')) {
      e.gzip ??= zlib.gzipSync(e.raw, { level: 9 });
      encoding = 'gzip';
    }
  }
  const body = encoding ? e[encoding] : e.raw;
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
  fail(`cannot listen on 127.0.0.1:${port}: ${why}`);
});

server.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}/`;
  // The URL is printed only once the server has answered with index.html.
  const check = http.get(url, { headers: { 'accept-encoding': 'gzip' }, timeout: 10_000 }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      let body = Buffer.concat(chunks);
      if (res.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      if (res.statusCode !== 200 || !body.equals(fs.readFileSync(path.join(dir, 'index.html')))) {
        fail(`${url} answered ${res.statusCode} without index.html; nothing is served`);
      }
      console.log(`Chartroom: ${url} (serving ${path.relative(process.cwd(), dir) || dir}, brotli/gzip; Ctrl-C stops it)`);
      batchQueued = true;
      enqueue(compressible(dir));
    });
  });
  check.on('timeout', () => check.destroy(new Error('no answer within 10 s')));
  check.on('error', (err) => fail(`${url} does not answer (${err.message}); nothing is served`));
});
