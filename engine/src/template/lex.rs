//! Go's text/template lexer (port of text/template/parse/lex.go).
