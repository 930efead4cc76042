//! Go's text/template executor (port of text/template/exec.go).
