/* A Helm 4 `cli/v1` Wasm plugin in C (clang --target=wasm32-wasi, wasi-libc
 * as a reactor: `_initialize` runs libc's constructors, the host calls
 * `helm_plugin_main`). Like a naive C-PDK plugin it reads its input one
 * `input_load_u8` kernel call per byte, then counts bytes, lines and words
 * (`wc`), the bytes of each value of `extraArgs` left aside (a plain byte
 * count is what the benchmark needs). Output {"data":{...}} formatted with
 * snprintf; one line on stdout (fd_write) and an optional config key
 * `greeting` echoed (config_get). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extism.h"

static int fail(const char *msg) {
  extism_error_set(extism_block(msg, strlen(msg)));
  return 1;
}

EXTISM_EXPORT("helm_plugin_main") int32_t helm_plugin_main(void) {
  uint64_t n = extism_input_length();
  unsigned char *in = malloc(n + 1);
  if (!in) return fail("c-wc: out of memory");
  for (uint64_t i = 0; i < n; i++) in[i] = extism_input_load_u8(i);
  in[n] = 0;
  if (n == 0 || in[0] != '{') {
    free(in);
    return fail("c-wc: the input is not a JSON object");
  }
  uint64_t lines = 0, words = 0, sum = 0;
  int inword = 0;
  for (uint64_t i = 0; i < n; i++) {
    sum = sum * 31 + in[i];
    if (in[i] == '\n') lines++;
    if (isspace(in[i])) {
      inword = 0;
    } else if (!inword) {
      inword = 1;
      words++;
    }
  }
  free(in);
  char greeting[64] = "";
  const char key[] = "greeting";
  uint64_t g = extism_config_get(extism_block(key, sizeof key - 1));
  if (g) {
    uint64_t len = extism_length(g);
    if (len >= sizeof greeting) len = sizeof greeting - 1;
    for (uint64_t i = 0; i < len; i++) {
      char c = (char)extism_load_u8(g + i);
      greeting[i] = (c == '"' || c == '\\' || (unsigned char)c < 0x20) ? '_' : c;
    }
  }
  char out[256];
  int len = snprintf(out, sizeof out,
                     "{\"data\":{\"bytes\":%llu,\"lines\":%llu,\"words\":%llu,\"hash\":\"%016llx\",\"greeting\":\"%s\"}}",
                     (unsigned long long)n, (unsigned long long)lines, (unsigned long long)words,
                     (unsigned long long)sum, greeting);
  printf("c-wc: %llu bytes\n", (unsigned long long)n);
  fflush(stdout);
  extism_output_set(extism_block(out, (uint64_t)len), (uint64_t)len);
  return 0;
}
