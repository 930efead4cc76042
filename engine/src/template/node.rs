//! Parse-tree nodes, mirroring Go's `text/template/parse` node types.
//!
//! Every node carries `pos`: the byte offset of the node in its tree's source
//! text. Error messages compute `line:col` from it exactly as Go's
//! `Tree.ErrorContext` does, and show the node as Go's `String()` renders it
//! (implemented by `Display` below), e.g. `<.Values.nul.x>`.

use std::fmt;
use std::rc::Rc;

/// Byte offset into the tree's source text.
pub type Pos = usize;

/// One parsed template (a file, or a `define`d/`block` template).
#[derive(Debug)]
pub struct Tree {
    /// Template name (`chart/templates/x.yaml`, or a define's name).
    pub name: String,
    /// Name of the top-level template whose parse produced this tree
    /// (the file name for defines, used in `name:line:col` locations).
    pub parse_name: String,
    /// The whole source text the positions point into.
    pub text: Rc<str>,
    pub root: ListNode,
}

impl Tree {
    /// Go's `Tree.ErrorContext`: `parse_name:line:col` for a position.
    /// The column is the byte offset within the line (Go counts bytes).
    pub fn location(&self, pos: Pos) -> String {
        let (line, col) = line_col(&self.text, pos);
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

/// (line, col) the way Go's ErrorContext computes them: 1-based line; column =
/// bytes since the last newline (on the first line: the byte offset itself).
pub(crate) fn line_col(text: &str, pos: Pos) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text.as_bytes()[..pos];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let col = match before.iter().rposition(|&b| b == b'\n') {
        None => pos,
        Some(nl) => pos - (nl + 1),
    };
    (line, col)
}

#[derive(Debug, Clone)]
pub enum Node {
    Text(TextNode),
    Comment(CommentNode),
    Action(ActionNode),
    If(BranchNode),
    Range(BranchNode),
    With(BranchNode),
    Template(TemplateNode),
    Break(LoopCtlNode),
    Continue(LoopCtlNode),
    /// A nested list (only as `else` bodies etc.; kept for completeness).
    List(ListNode),
}

#[derive(Debug, Clone, Default)]
pub struct ListNode {
    pub pos: Pos,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub struct TextNode {
    pub pos: Pos,
    pub text: Rc<str>,
}

#[derive(Debug, Clone)]
pub struct CommentNode {
    pub pos: Pos,
    pub text: String,
}

/// `{{pipeline}}`
#[derive(Debug, Clone)]
pub struct ActionNode {
    pub pos: Pos,
    pub line: usize,
    pub pipe: PipeNode,
}

/// `if`/`range`/`with`. For `range`, `else_list` is the `{{else}}` branch.
/// `else if`/`else with` are desugared as in Go: the else list holds a single
/// nested If/With node.
#[derive(Debug, Clone)]
pub struct BranchNode {
    pub pos: Pos,
    pub line: usize,
    pub pipe: PipeNode,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

/// `{{template "name" pipeline}}` (and the call part of `block`).
#[derive(Debug, Clone)]
pub struct TemplateNode {
    pub pos: Pos,
    pub line: usize,
    pub name: String,
    pub pipe: Option<PipeNode>,
}

/// `{{break}}` / `{{continue}}`.
#[derive(Debug, Clone)]
pub struct LoopCtlNode {
    pub pos: Pos,
    pub line: usize,
}

/// A pipeline with optional variable declarations: `$x, $y := cmd | cmd`.
#[derive(Debug, Clone)]
pub struct PipeNode {
    pub pos: Pos,
    pub line: usize,
    /// `=` (assignment) rather than `:=` (declaration).
    pub is_assign: bool,
    pub decl: Vec<VariableNode>,
    pub cmds: Vec<CommandNode>,
}

// Deeply nested trees (10000 parenthesised pipelines or control structures,
// as Go allows) would overflow the stack when dropped recursively: each
// level's children are dropped with room to grow the stack.
impl Drop for PipeNode {
    fn drop(&mut self) {
        if self.cmds.iter().any(|c| c.args.iter().any(|a| matches!(a, Arg::Pipe(_) | Arg::Chain(_)))) {
            let cmds = std::mem::take(&mut self.cmds);
            super::with_stack(|| drop(cmds));
        }
    }
}

impl Drop for ListNode {
    fn drop(&mut self) {
        if !self.nodes.is_empty() {
            let nodes = std::mem::take(&mut self.nodes);
            super::with_stack(|| drop(nodes));
        }
    }
}

/// One command of a pipeline: a function/field/value and its arguments.
#[derive(Debug, Clone)]
pub struct CommandNode {
    pub pos: Pos,
    pub args: Vec<Arg>,
}

/// Operands: what may appear as a command's arguments.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A function name (`printf`, `include`).
    Identifier(IdentifierNode),
    /// `$x.Field1.Field2` (ident[0] is the variable, e.g. `$x` or `$`).
    Variable(VariableNode),
    Dot(Pos),
    Nil(Pos),
    /// `.Field1.Field2`
    Field(FieldNode),
    /// `(pipeline).Field1.Field2` or `$x.F` after a parenthesised node.
    Chain(ChainNode),
    Bool(BoolNode),
    Number(NumberNode),
    String(StringNode),
    /// Parenthesised sub-pipeline.
    Pipe(Box<PipeNode>),
}

#[derive(Debug, Clone)]
pub struct IdentifierNode {
    pub pos: Pos,
    pub ident: String,
}

#[derive(Debug, Clone)]
pub struct VariableNode {
    pub pos: Pos,
    /// `$x.a.b` → ["$x", "a", "b"].
    pub ident: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FieldNode {
    pub pos: Pos,
    /// `.a.b` → ["a", "b"].
    pub ident: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChainNode {
    pub pos: Pos,
    pub node: Box<Arg>,
    pub field: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct BoolNode {
    pub pos: Pos,
    pub val: bool,
}

/// A number literal. Like Go, one literal may be representable in several
/// ways (`1` is int, uint and float); the executor picks by context.
#[derive(Debug, Clone)]
pub struct NumberNode {
    pub pos: Pos,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    /// The original text, as Go's String() prints it.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct StringNode {
    pub pos: Pos,
    /// The original text with quotes (`"a\n"` or `` `raw` ``).
    pub quoted: String,
    /// The unquoted value.
    pub text: Rc<str>,
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Identifier(n) => n.pos,
            Arg::Variable(n) => n.pos,
            Arg::Dot(p) | Arg::Nil(p) => *p,
            Arg::Field(n) => n.pos,
            Arg::Chain(n) => n.pos,
            Arg::Bool(n) => n.pos,
            Arg::Number(n) => n.pos,
            Arg::String(n) => n.pos,
            Arg::Pipe(n) => n.pos,
        }
    }
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text(n) => n.pos,
            Node::Comment(n) => n.pos,
            Node::Action(n) => n.pos,
            Node::If(n) | Node::Range(n) | Node::With(n) => n.pos,
            Node::Template(n) => n.pos,
            Node::Break(n) | Node::Continue(n) => n.pos,
            Node::List(n) => n.pos,
        }
    }
}

// ---- Go's String() renderings, used in `executing "x" at <...>` ----

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Identifier(n) => f.write_str(&n.ident),
            Arg::Variable(n) => f.write_str(&n.ident.join(".")),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Field(n) => write!(f, "{n}"),
            Arg::Chain(n) => write!(f, "{n}"),
            Arg::Bool(n) => f.write_str(if n.val { "true" } else { "false" }),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String(n) => f.write_str(&n.quoted),
            // Go's PipeNode.String() has no parentheses; CommandNode and
            // ChainNode add them around a pipeline argument.
            Arg::Pipe(p) => super::with_stack(|| write!(f, "{p}")),
        }
    }
}

impl fmt::Display for FieldNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for id in &self.ident {
            write!(f, ".{id}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ChainNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Go: a PipeNode inside a chain is parenthesised.
        match &*self.node {
            Arg::Pipe(p) => super::with_stack(|| write!(f, "({p})"))?,
            other => write!(f, "{other}")?,
        }
        for id in &self.field {
            write!(f, ".{id}")?;
        }
        Ok(())
    }
}

impl fmt::Display for TemplateNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{template {}", crate::gofmt::strconv::quote(&self.name))?;
        if let Some(p) = &self.pipe {
            write!(f, " {p}")?;
        }
        f.write_str("}}")
    }
}

impl fmt::Display for VariableNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ident.join("."))
    }
}

impl fmt::Display for CommandNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_args(f, &self.args)
    }
}

/// CommandNode.String()'s arguments: space-separated, a pipeline argument in
/// parentheses.
pub(crate) fn write_args(f: &mut fmt::Formatter<'_>, args: &[Arg]) -> fmt::Result {
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        match a {
            Arg::Pipe(p) => super::with_stack(|| write!(f, "({p})"))?,
            a => write!(f, "{a}")?,
        }
    }
    Ok(())
}

impl fmt::Display for PipeNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_list(f, self, false)
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_node(f, self, false)
    }
}

impl ListNode {
    /// Go's `String()` as Go's own parse tests see it (`textFormat = "%q"`):
    /// text nodes are shown quoted. Used by tests and debugging.
    pub fn quoted_text_string(&self) -> String {
        struct Q<'a>(&'a ListNode);
        impl fmt::Display for Q<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_list(f, self.0, true)
            }
        }
        Q(self).to_string()
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, l: &ListNode, quote_text: bool) -> fmt::Result {
    for n in &l.nodes {
        write_node(f, n, quote_text)?;
    }
    Ok(())
}

fn write_node(f: &mut fmt::Formatter<'_>, n: &Node, q: bool) -> fmt::Result {
    super::with_stack(|| write_node_inner(f, n, q))
}

fn write_node_inner(f: &mut fmt::Formatter<'_>, n: &Node, q: bool) -> fmt::Result {
    match n {
        // Go: fmt.Sprintf(textFormat, t.Text), textFormat = "%s".
        Node::Text(t) if q => f.write_str(&crate::gofmt::strconv::quote(&t.text)),
        Node::Text(t) => f.write_str(&t.text),
        Node::Comment(c) => write!(f, "{{{{{}}}}}", c.text),
        Node::Action(a) => write!(f, "{{{{{}}}}}", a.pipe),
        Node::If(b) => fmt_branch(f, "if", b, q),
        Node::Range(b) => fmt_branch(f, "range", b, q),
        Node::With(b) => fmt_branch(f, "with", b, q),
        Node::Template(t) => write!(f, "{t}"),
        Node::Break(_) => f.write_str("{{break}}"),
        Node::Continue(_) => f.write_str("{{continue}}"),
        Node::List(l) => write_list(f, l, q),
    }
}

fn fmt_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &BranchNode, q: bool) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}", b.pipe)?;
    write_list(f, &b.list, q)?;
    if let Some(e) = &b.else_list {
        f.write_str("{{else}}")?;
        write_list(f, e, q)?;
    }
    f.write_str("{{end}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_like_go() {
        let t = "ab\ncd{{x}}";
        assert_eq!(line_col(t, 1), (1, 1));
        assert_eq!(line_col(t, 5), (2, 2));
    }
}
