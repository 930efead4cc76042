// Starts the first-visit render worker while the page's own wasm is still
// downloading and compiling (issue 21, first output): the worker's script
// and wasm load in parallel with the page's instead of after it. The page
// (app/src/render_client.rs, trackWorkers) takes this worker when it spawns
// its first one with the same loader; messages the worker sent before that
// (gloo-worker's "loaded") are kept here and delivered then. A page that
// wants the full worker first (a saved plugin) terminates this one.
(() => {
  // Too late once the page tracks its workers (it spawned its own).
  if (typeof Worker !== 'function' || globalThis.__chartroomPrespawned || globalThis.__chartroomWorkers) return;
  try {
    const url = './worker_loader.js';
    const worker = new Worker(url);
    const early = [];
    const keep = (e) => early.push(e.data);
    worker.addEventListener('message', keep);
    globalThis.__chartroomPrespawned = { url, worker, early, keep };
  } catch (_) {
    // No worker yet: the page spawns its own as before.
  }
})();
