//! Chart loading (Helm's pkg/chart and pkg/chart/loader).
