//! Go's `encoding/json`, as `toJson`/`fromJson` and sigs.k8s.io/yaml use it.
