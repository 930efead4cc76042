/* A Helm 4 `cli/v1` Wasm plugin in JavaScript: QuickJS (C, compiled with
 * clang + wasi-libc into this reactor module) runs plugin.js, embedded at
 * build time, on every Invoke: a runtime and context are created, the
 * script evaluated and its `helm_plugin_main()` called, as js-pdk plugins do
 * (js-pdk also snapshots the initialised engine with Wizer; this one starts
 * QuickJS cold, so start-up includes the engine's init and the parse).
 * A thrown exception becomes the plugin's error (error_set, return 1). */
#include <stdlib.h>
#include <string.h>

#include "c-wc/extism.h"
#include "quickjs.h"
#include "plugin_js.h" /* plugin_js[], plugin_js_len: plugin.js */

EXTISM_IMPORT("input_load_u64") uint64_t extism_input_load_u64(uint64_t offset);

static JSValue host_input_string(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t n = extism_input_length(), i = 0;
  char *buf = malloc(n + 1);
  if (!buf) return JS_ThrowOutOfMemory(ctx);
  for (; i + 8 <= n; i += 8) {
    uint64_t v = extism_input_load_u64(i);
    memcpy(buf + i, &v, 8);
  }
  for (; i < n; i++) buf[i] = (char)extism_input_load_u8(i);
  JSValue s = JS_NewStringLen(ctx, buf, n);
  free(buf);
  return s;
}

static JSValue host_output_string(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t n;
  const char *s = JS_ToCStringLen(ctx, &n, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!s) return JS_EXCEPTION;
  extism_output_set(extism_block(s, n), n);
  JS_FreeCString(ctx, s);
  return JS_UNDEFINED;
}

static JSValue host_config(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t n;
  const char *k = JS_ToCStringLen(ctx, &n, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!k) return JS_EXCEPTION;
  uint64_t h = extism_config_get(extism_block(k, n));
  JS_FreeCString(ctx, k);
  if (!h) return JS_NULL;
  uint64_t len = extism_length(h);
  char *buf = malloc(len + 1);
  if (!buf) return JS_ThrowOutOfMemory(ctx);
  for (uint64_t i = 0; i < len; i++) buf[i] = (char)extism_load_u8(h + i);
  JSValue s = JS_NewStringLen(ctx, buf, len);
  free(buf);
  return s;
}

/* The pending exception's text as the plugin's error. */
static int fail(JSContext *ctx) {
  JSValue e = JS_GetException(ctx);
  const char *s = JS_ToCString(ctx, e);
  const char *msg = s ? s : "js-quickjs: exception";
  extism_error_set(extism_block(msg, strlen(msg)));
  if (s) JS_FreeCString(ctx, s);
  JS_FreeValue(ctx, e);
  return 1;
}

EXTISM_EXPORT("helm_plugin_main") int32_t helm_plugin_main(void) {
  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = rt ? JS_NewContext(rt) : NULL;
  if (!ctx) {
    const char m[] = "js-quickjs: cannot create the JavaScript runtime";
    extism_error_set(extism_block(m, sizeof m - 1));
    return 1;
  }
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue host = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, host, "inputString", JS_NewCFunction(ctx, host_input_string, "inputString", 0));
  JS_SetPropertyStr(ctx, host, "outputString", JS_NewCFunction(ctx, host_output_string, "outputString", 1));
  JS_SetPropertyStr(ctx, host, "config", JS_NewCFunction(ctx, host_config, "config", 1));
  JS_SetPropertyStr(ctx, global, "Host", host);
  int rc = 0;
  JSValue r = JS_Eval(ctx, (const char *)plugin_js, plugin_js_len, "plugin.js", JS_EVAL_TYPE_GLOBAL);
  if (JS_IsException(r)) {
    rc = fail(ctx);
  } else {
    JSValue f = JS_GetPropertyStr(ctx, global, "helm_plugin_main");
    JSValue v = JS_Call(ctx, f, global, 0, NULL);
    if (JS_IsException(v)) rc = fail(ctx);
    JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, f);
  }
  JS_FreeValue(ctx, r);
  JS_FreeValue(ctx, global);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  return rc;
}
