/* The Extism kernel functions a C plugin imports (the extism:host/env ABI
 * that extism/c-pdk's header declares), written for this plugin. */
#ifndef CHARTROOM_EXTISM_H
#define CHARTROOM_EXTISM_H
#include <stdint.h>

#define EXTISM_IMPORT(name) __attribute__((import_module("extism:host/env"), import_name(name)))
#define EXTISM_EXPORT(name) __attribute__((export_name(name)))

EXTISM_IMPORT("input_length") uint64_t extism_input_length(void);
EXTISM_IMPORT("input_load_u8") uint8_t extism_input_load_u8(uint64_t offset);
EXTISM_IMPORT("alloc") uint64_t extism_alloc(uint64_t n);
EXTISM_IMPORT("store_u8") void extism_store_u8(uint64_t offset, uint8_t v);
EXTISM_IMPORT("store_u64") void extism_store_u64(uint64_t offset, uint64_t v);
EXTISM_IMPORT("output_set") void extism_output_set(uint64_t offset, uint64_t n);
EXTISM_IMPORT("error_set") void extism_error_set(uint64_t offset);
EXTISM_IMPORT("config_get") uint64_t extism_config_get(uint64_t key);
EXTISM_IMPORT("length") uint64_t extism_length(uint64_t offset);
EXTISM_IMPORT("load_u8") uint8_t extism_load_u8(uint64_t offset);

/* Copies n bytes into a new kernel block, 8 bytes per call. */
static inline uint64_t extism_block(const void *p, uint64_t n) {
  const uint8_t *b = p;
  uint64_t h = extism_alloc(n), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    __builtin_memcpy(&v, b + i, 8);
    extism_store_u64(h + i, v);
  }
  for (; i < n; i++) extism_store_u8(h + i, b[i]);
  return h;
}
#endif
