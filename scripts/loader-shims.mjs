// Trunk post_build hook (Trunk.toml): trunk's worker loader shims
// (data-loader-shim) start wasm-bindgen with a bare path,
// `wasm_bindgen("./worker_bg.wasm")`, which wasm-bindgen 0.2.130 answers
// with a console warning on every load ("using deprecated parameters for
// the initialization function; pass a single object instead"). This
// rewrites them to the object form. Fails when a shim has neither form, so a
// changed trunk cannot slip past unnoticed.
// It also puts the render's stack probe in front of each shim (see
// STACK_PROBE).
// Usage: node scripts/loader-shims.mjs [dir] (default: $TRUNK_STAGING_DIR).

import fs from 'node:fs';
import path from 'node:path';

/**
 * The stack probe the engine asks before going deeper into nested
 * template/include/tpl calls (app/src/protocol.rs, page_stack_room): V8's
 * stack of a Web Worker is fixed (about 1 MB) and wasm frames share it, so
 * `chartroomStackRoom(n)` recurses n JavaScript calls and says whether they
 * fit. Its RangeError unwinds only its own frames.
 */
export const STACK_PROBE = 'function chartroomProbe(n){return n<=0||chartroomProbe(n-1)}'
  + 'self.chartroomStackRoom=function(n){try{return chartroomProbe(n)===true}catch(e){return false}};';

/** The shim's text with `wasm_bindgen("x")` → `wasm_bindgen({ module_or_path: "x" })`. */
export function fixShim(text) {
  const fixed = text.replace(/wasm_bindgen\(\s*("[^"]*"|'[^']*')\s*\)/g, 'wasm_bindgen({ module_or_path: $1 })');
  if (!/wasm_bindgen\(\{ module_or_path: /.test(fixed)) throw new Error(`unexpected loader shim: ${text}`);
  return fixed.startsWith(STACK_PROBE) ? fixed : STACK_PROBE + fixed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
  const shims = fs.readdirSync(dir).filter((f) => f.endsWith('_loader.js'));
  if (!shims.length) throw new Error(`no *_loader.js in ${dir}`);
  for (const f of shims) {
    const file = path.join(dir, f);
    fs.writeFileSync(file, fixShim(fs.readFileSync(file, 'utf8')));
  }
  console.log(`loader-shims: ${shims.join(', ')} start wasm-bindgen with an options object`);
}
