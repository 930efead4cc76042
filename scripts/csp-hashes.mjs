// Trunk post_build hook (Trunk.toml): puts the sha256 of every inline
// <script> of the built index.html into its Content-Security-Policy meta tag,
// in place of the token 'inline-script-hashes'. Trunk writes one inline
// module script (it imports the page's wasm-bindgen JS and starts it); a
// hash allows exactly that script, where 'unsafe-inline' would allow any.
// Usage: node scripts/csp-hashes.mjs [index.html] (default:
// $TRUNK_STAGING_DIR/index.html). Fails when the token is missing, so the
// policy and the hook cannot drift apart silently.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TOKEN = "'inline-script-hashes'";

/** The CSP source expressions ('sha256-…') of the inline scripts of `html`. */
export function inlineScriptHashes(html) {
  const out = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1])) continue;
    out.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return out;
}

export function fillPolicy(html) {
  if (!html.includes(TOKEN)) throw new Error(`no ${TOKEN} token in the Content-Security-Policy meta tag`);
  const hashes = inlineScriptHashes(html);
  return html.replaceAll(TOKEN, hashes.join(' '));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? path.join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
  const html = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, fillPolicy(html));
  console.log(`csp-hashes: ${inlineScriptHashes(html).length} inline script(s) hashed into ${file}`);
}
