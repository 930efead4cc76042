//! Go's text/template parser (port of text/template/parse/parse.go, Go 1.25).
//!
//! The structure follows Go function by function: a recursive-descent parser
//! with Go's three-token lookahead buffer (`token`/`peek_count`), the same
//! error messages, and the same choice of which token's line an error
//! reports (Go uses the line of the most recently lexed token, `token[0]`).
//! Go aborts with panics; here every step returns `Result`.
//!
//! Go keeps one parser state per tree: a `{{define}}`/`{{block}}` body is
//! parsed by a fresh `Tree` sharing the lexer and the tree set. We do the same
//! by swapping the per-tree state (`TreeState`) while a definition is parsed.

use std::fmt;
use std::rc::Rc;

use super::lex::{Item, ItemType, LexOptions, Lexer};
use super::literal::{new_number, unquote, NumberKind, ERR_SYNTAX};
use super::node::*;
use crate::gofmt::strconv::quote;

/// A parse error as Go reports it: `template: NAME:LINE: MSG`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// The name of the template being parsed (the file name).
    pub parse_name: String,
    /// 1-based line of the offending token.
    pub line: usize,
    /// 1-based column of that token in characters, for the editor (Go does
    /// not print it).
    pub col: usize,
    /// Go's message, e.g. `function "foo" not defined`.
    pub msg: String,
    /// For `unexpected EOF` inside a block: the 1-based line and column of
    /// the innermost `{{if}}`/`{{range}}`/`{{with}}`/`{{block}}`/`{{define}}`
    /// left open, where an editor marks the error (Go's text keeps the line
    /// of the end of file).
    pub opened_at: Option<(usize, usize)>,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template: {}:{}: {}", self.parse_name, self.line, self.msg)
    }
}

impl ParseError {
    /// Helm's `cleanupParseError`: splits Go's error text on ": ", keeps the
    /// location (second piece) and the LAST piece as the message:
    /// `parse error at (c/templates/t.txt:1): function "foo" not defined`.
    /// (So `bad number syntax: "3k"` becomes just `"3k"`, as in Helm.)
    pub fn helm_text(&self) -> String {
        let full = self.to_string();
        let tokens: Vec<&str> = full.split(": ").collect();
        if tokens.len() == 1 {
            return format!("parse error in ({}): {}", self.parse_name, full);
        }
        let location = tokens[1];
        let msg = tokens[tokens.len() - 1];
        format!("parse error at ({location}): {msg}")
    }
}

/// Parser modes (Go's `Mode` flags).
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Go's `ParseComments`: keep comments as `Node::Comment`.
    pub parse_comments: bool,
    /// Go's `SkipFuncCheck`: do not reject unknown function names.
    pub skip_func_check: bool,
}

/// Go's maxStackDepth for parenthesised expressions, with Go's message:
/// 10000 natively, where our stack grows as Go's does
/// ([`super::with_stack`]). Go allows 1000 on WebAssembly; in the browser our
/// wasm frames live on V8's fixed ~1 MB stack of the worker with no way to
/// grow it, and a parenthesis level costs about five frames to parse and
/// execute, so the page stops at 100. Real templates nest parentheses a few
/// levels deep.
const MAX_STACK_DEPTH: usize = if cfg!(target_arch = "wasm32") { 100 } else { 10_000 };
/// Go's maxPipelineCmds.
const MAX_PIPELINE_CMDS: usize = 100_000;
/// Not in Go: bound on nested control structures (`if`/`range`/`with`/
/// `block`), so hostile input cannot overflow our stack. Go has no limit (its
/// stacks grow); real templates nest a handful of levels. Each link of an
/// `else if` chain counts: it nests one level deeper in the tree (which the
/// executor and `Drop` walk recursively; `Drop` cannot grow the stack, so
/// natively the bound is Go's expression depth, 10000, and in the browser
/// 100, as [`MAX_STACK_DEPTH`]).
const MAX_NESTING: usize = if cfg!(target_arch = "wasm32") { 100 } else { 10_000 };

/// Parses `text` as template `name`. Returns the top-level tree first (named
/// `name`), then one tree per `define`/`block`, in source order.
/// `is_func` tells whether an identifier is a known function (Go rejects
/// unknown names at parse time).
pub fn parse(name: &str, text: &str, is_func: &dyn Fn(&str) -> bool) -> Result<Vec<Tree>, ParseError> {
    parse_with(name, text, is_func, ParseOptions::default())
}

/// `parse` with Go's parse modes.
pub fn parse_with(
    name: &str,
    text: &str,
    is_func: &dyn Fn(&str) -> bool,
    opts: ParseOptions,
) -> Result<Vec<Tree>, ParseError> {
    let mut lex = Lexer::new(text);
    lex.options = LexOptions {
        emit_comment: opts.parse_comments,
        break_ok: !is_func("break"),
        continue_ok: !is_func("continue"),
    };
    let mut p = Parser {
        lex,
        text,
        text_rc: Rc::from(text),
        parse_name: name,
        is_func,
        opts,
        trees: Vec::new(),
        t: TreeState::new(name.to_string()),
        nesting: 0,
    };
    let root = p.parse_top()?;
    p.add(root)?;
    let mut trees = p.trees;
    // The tree named `name` first (normally the top-level one).
    if let Some(i) = trees.iter().position(|t| t.name == name) {
        if i != 0 {
            let t = trees.remove(i);
            trees.insert(0, t);
        }
    }
    Ok(trees)
}

/// Go's `IsEmptyTree`: nothing but space and comments (definitions were
/// already taken out by the parser).
pub fn is_empty_tree(list: &ListNode) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text.trim().is_empty(),
        Node::Comment(_) => true,
        Node::List(l) => is_empty_tree(l),
        _ => false,
    })
}

/// Parsing state of one tree (Go keeps it in the `Tree` itself).
struct TreeState<'a> {
    name: String,
    /// Three-token lookahead; `token[0]` is always the most recently lexed.
    token: [Item<'a>; 3],
    peek_count: usize,
    /// Variables defined at the moment.
    vars: Vec<&'a str>,
    /// Line of the left delimiter starting the current action.
    action_line: usize,
    range_depth: usize,
    /// Depth of nested parenthesised expressions.
    stack_depth: usize,
}

impl<'a> TreeState<'a> {
    fn new(name: String) -> Self {
        TreeState {
            name,
            token: [Item::eof(), Item::eof(), Item::eof()],
            peek_count: 0,
            vars: vec!["$"],
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
        }
    }
}

/// What `textOrAction`/`action` return: a node, or the `{{end}}`/`{{else}}`
/// markers that never enter the tree.
enum Parsed {
    Node(Node),
    End,
    Else(Pos),
}

impl Parsed {
    /// Go's String() of the node, for "unexpected X" messages.
    fn describe(&self) -> String {
        match self {
            Parsed::Node(n) => n.to_string(),
            Parsed::End => "{{end}}".into(),
            Parsed::Else(_) => "{{else}}".into(),
        }
    }
}

type PResult<T> = Result<T, ParseError>;

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    text: &'a str,
    text_rc: Rc<str>,
    parse_name: &'a str,
    is_func: &'f dyn Fn(&str) -> bool,
    opts: ParseOptions,
    /// Go's treeSet, in insertion order.
    trees: Vec<Tree>,
    /// The tree being parsed.
    t: TreeState<'a>,
    nesting: usize,
}

fn is(item: &Item<'_>, typ: ItemType) -> bool {
    item.typ == typ
}

impl<'a, 'f> Parser<'a, 'f> {
    // ---- token plumbing (Go's next/backup/peek) ----

    fn next(&mut self) -> Item<'a> {
        if self.t.peek_count > 0 {
            self.t.peek_count -= 1;
        } else {
            self.t.token[0] = self.lex.next_item();
        }
        self.t.token[self.t.peek_count].clone()
    }

    fn backup(&mut self) {
        self.t.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.t.token[1] = t1;
        self.t.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.t.token[1] = t1;
        self.t.token[2] = t2;
        self.t.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        if self.t.peek_count > 0 {
            return self.t.token[self.t.peek_count - 1].clone();
        }
        self.t.peek_count = 1;
        self.t.token[0] = self.lex.next_item();
        self.t.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let token = self.next();
            if token.typ != ItemType::Space {
                return token;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let token = self.next_non_space();
        self.backup();
        token
    }

    // ---- errors ----

    /// `Err(errorf(...))`. Errors are built out of line (cold) so that the
    /// recursive parsing functions keep small stack frames.
    #[cold]
    #[inline(never)]
    fn fail<T>(&self, args: fmt::Arguments<'_>) -> PResult<T> {
        Err(self.error(args.to_string()))
    }

    /// Go's `errorf`: the error is located at the most recently lexed token.
    #[cold]
    #[inline(never)]
    fn error(&self, msg: String) -> ParseError {
        let tok = &self.t.token[0];
        let pos = tok.pos.min(self.text.len());
        let line_start = self.text.get(..pos).and_then(|s| s.rfind('\n')).map_or(0, |i| i + 1);
        let col = 1 + self.text.get(line_start..pos).map_or(0, |s| s.chars().count());
        ParseError { parse_name: self.parse_name.to_string(), line: tok.line, col, msg, opened_at: None }
    }

    /// 1-based column (in characters) of byte `pos` on its line.
    fn col_of(&self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        let line_start = self.text.get(..pos).and_then(|s| s.rfind('\n')).map_or(0, |i| i + 1);
        1 + self.text.get(line_start..pos).map_or(0, |s| s.chars().count())
    }

    /// An `unexpected EOF` that ends the block opened by `kw` is marked at
    /// `kw` (the innermost block left open sets it first).
    fn mark_unclosed(&self, mut e: ParseError, kw: &Item<'_>) -> ParseError {
        if e.opened_at.is_none() && e.msg == "unexpected EOF" {
            e.opened_at = Some((kw.line, self.col_of(kw.pos)));
        }
        e
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self, token: &Item<'_>, context: &str) -> ParseError {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.t.action_line != 0 && self.t.action_line != token.line {
                if token.val.ends_with(" action") {
                    // Avoid "action in action".
                    extra = format!(" started at {}:{}", self.parse_name, self.t.action_line);
                } else {
                    extra = format!(" in action started at {}:{}", self.parse_name, self.t.action_line);
                }
            }
            return self.error(format!("{token}{extra}"));
        }
        self.error(format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'a>> {
        let token = self.next_non_space();
        if token.typ != expected {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    fn has_function(&self, name: &str) -> bool {
        (self.is_func)(name)
    }

    // ---- trees ----

    /// Go's `Tree.add`: installs the finished tree in the tree set.
    fn add(&mut self, root: ListNode) -> PResult<()> {
        let name = self.t.name.clone();
        match self.trees.iter().position(|t| t.name == name) {
            None => {
                self.trees.push(self.make_tree(name, root));
                Ok(())
            }
            Some(i) if is_empty_tree(&self.trees[i].root) => {
                self.trees[i] = self.make_tree(name, root);
                Ok(())
            }
            Some(_) => {
                if !is_empty_tree(&root) {
                    return self.fail(format_args!("template: multiple definition of template {}", quote(&name)));
                }
                Ok(())
            }
        }
    }

    fn make_tree(&self, name: String, root: ListNode) -> Tree {
        Tree { name, parse_name: self.parse_name.to_string(), text: self.text_rc.clone(), root }
    }

    /// Go's `parse`: the top level, which also handles `{{define}}`.
    fn parse_top(&mut self) -> PResult<ListNode> {
        let mut root = ListNode { pos: self.peek().pos, nodes: Vec::new() };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                let kw = self.next_non_space();
                if kw.typ == ItemType::Define {
                    // A new tree; its name is set once we know it.
                    let saved = std::mem::replace(&mut self.t, TreeState::new("definition".into()));
                    let r = self.parse_definition();
                    self.t = saved;
                    r.map_err(|e| self.mark_unclosed(e, &kw))?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                p @ (Parsed::End | Parsed::Else(_)) => {
                    return self.fail(format_args!("unexpected {}", p.describe()));
                }
                Parsed::Node(n) => root.nodes.push(n),
            }
        }
        Ok(root)
    }

    /// `{{define "name"}} ... {{end}}`; the define keyword is past.
    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let name = self.next_non_space();
        if !is(&name, ItemType::String) && !is(&name, ItemType::RawString) {
            return Err(self.unexpected(&name, CONTEXT));
        }
        self.t.name = unquote(&name.val).map_err(|_| self.error(ERR_SYNTAX.into()))?;
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return self.fail(format_args!("unexpected {} in {}", end.describe(), CONTEXT));
        }
        self.add(root)
    }

    /// textOrAction* up to `{{end}}` or `{{else}}`, returned separately.
    fn item_list(&mut self) -> PResult<(ListNode, Parsed)> {
        let mut list = ListNode { pos: self.peek_non_space().pos, nodes: Vec::new() };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.nodes.push(n),
                p => return Ok((list, p)),
            }
        }
        self.fail(format_args!("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text(TextNode { pos: token.pos, text: Rc::from(&*token.val) }))),
            ItemType::LeftDelim => {
                self.t.action_line = token.line;
                let r = self.action();
                self.t.action_line = 0;
                r
            }
            ItemType::Comment => {
                Ok(Parsed::Node(Node::Comment(CommentNode { pos: token.pos, text: token.val.to_string() })))
            }
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    /// An action: a control keyword, or a pipeline. The left delim is past.
    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => {
                return self.nested(|p| p.block_control()).map(Parsed::Node).map_err(|e| self.mark_unclosed(e, &token))
            }
            ItemType::Break => return self.loop_control(token, "{{break}}").map(|n| Parsed::Node(Node::Break(n))),
            ItemType::Continue => {
                return self.loop_control(token, "{{continue}}").map(|n| Parsed::Node(Node::Continue(n)))
            }
            ItemType::Else => return self.else_control(),
            ItemType::End => return self.end_control(),
            ItemType::If => {
                return self.nested(|p| p.if_control()).map(Parsed::Node).map_err(|e| self.mark_unclosed(e, &token))
            }
            ItemType::Range => {
                return self.nested(|p| p.range_control()).map(Parsed::Node).map_err(|e| self.mark_unclosed(e, &token))
            }
            ItemType::Template => return self.template_control().map(Parsed::Node),
            ItemType::With => {
                return self.nested(|p| p.with_control()).map(Parsed::Node).map_err(|e| self.mark_unclosed(e, &token))
            }
            _ => {}
        }
        self.backup();
        let token = self.peek();
        // Do not pop variables; they persist until "end".
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action(ActionNode { pos: token.pos, line: token.line, pipe })))
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            return self.fail(format_args!("max nesting depth exceeded"));
        }
        self.nesting += 1;
        let r = super::with_stack(|| f(self));
        self.nesting -= 1;
        r
    }

    /// `{{break}}` / `{{continue}}`; the keyword is past.
    fn loop_control(&mut self, kw: Item<'a>, what: &str) -> PResult<LoopCtlNode> {
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return Err(self.unexpected(&token, what));
        }
        if self.t.range_depth == 0 {
            return self.fail(format_args!("{what} outside {{{{range}}}}"));
        }
        Ok(LoopCtlNode { pos: kw.pos, line: kw.line })
    }

    /// Pipeline: declarations? command ('|' command)*
    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let token = self.peek_non_space();
        let mut pipe =
            PipeNode { pos: token.pos, line: token.line, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        // Are there declarations or assignments?
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break 'decls;
            }
            self.next();
            // Since space is a token, we need 3-token look-ahead here in the
            // worst case: in "$x foo" we need to read "foo" (as opposed to
            // ":=") to know that $x is an argument variable rather than a
            // declaration.
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(new_variable(v.pos, &v.val));
                self.t.vars.push(borrow_var(&v));
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(new_variable(v.pos, &v.val));
                self.t.vars.push(borrow_var(&v));
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        // Second initialized variable in a range pipeline.
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => continue 'decls,
                        _ => return self.fail(format_args!("range can only initialize variables")),
                    }
                }
                return self.fail(format_args!("too many declarations in {context}"));
            } else if token_after_variable.typ == ItemType::Space {
                self.backup3(v, token_after_variable);
            } else {
                self.backup2(v);
            }
            break 'decls;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    // At this point, the pipeline is complete.
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                    if pipe.cmds.len() > MAX_PIPELINE_CMDS {
                        return self.fail(format_args!("pipeline too long"));
                    }
                }
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> PResult<()> {
        // Reject empty pipelines.
        if pipe.cmds.is_empty() {
            return self.fail(format_args!("missing value for {context}"));
        }
        // Only the first command of a pipeline can start with a non executable operand.
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(Arg::Bool(_) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String(_)) = c.args.first() {
                // With A|B|C, pipeline stage 2 is B.
                return self.fail(format_args!("non executable command in pipeline stage {}", i + 1));
            }
        }
        Ok(())
    }

    /// Go's parseControl, shared by if/range/with.
    ///
    /// Go parses `{{else if}}`/`{{else with}}` by recursing into a nested
    /// if/with whose `{{end}}` closes the whole chain. We parse the chain
    /// iteratively (same tokens, same checks, same order) and build the same
    /// nested nodes afterwards, so long chains cost no stack.
    fn parse_control(&mut self, context: &str) -> PResult<BranchNode> {
        let vars_len = self.t.vars.len();
        // (pipe, list, position of the `else` leading to the next link)
        let mut links: Vec<(PipeNode, ListNode, Pos)> = Vec::new();
        let last_else;
        loop {
            let pipe = self.pipeline(context, ItemType::RightDelim)?;
            if context == "range" {
                self.t.range_depth += 1;
            }
            let (list, next) = self.item_list()?;
            if context == "range" {
                self.t.range_depth -= 1;
            }
            match next {
                Parsed::Else(else_pos) => {
                    let chained = (context == "if" && self.peek().typ == ItemType::If)
                        || (context == "with" && self.peek().typ == ItemType::With);
                    if chained {
                        // Each link nests one level deeper in the tree.
                        if self.nesting + links.len() + 1 >= MAX_NESTING {
                            return self.fail(format_args!("max nesting depth exceeded"));
                        }
                        self.next(); // Consume the "if"/"with" token.
                        links.push((pipe, list, else_pos));
                        continue;
                    }
                    let (else_list, next) = self.item_list()?;
                    if !matches!(next, Parsed::End) {
                        return self.fail(format_args!("expected end; found {}", next.describe()));
                    }
                    links.push((pipe, list, 0));
                    last_else = Some(else_list);
                }
                _ => {
                    links.push((pipe, list, 0));
                    last_else = None;
                }
            }
            break;
        }
        self.t.vars.truncate(vars_len);
        let mut else_list = last_else;
        let mut branch = None;
        while let Some((pipe, list, else_pos)) = links.pop() {
            if let Some(inner) = branch.take() {
                let node = if context == "if" { Node::If(inner) } else { Node::With(inner) };
                else_list = Some(ListNode { pos: else_pos, nodes: vec![node] });
            }
            branch = Some(BranchNode { pos: pipe.pos, line: pipe.line, pipe, list, else_list: else_list.take() });
        }
        match branch {
            Some(b) => Ok(b),
            None => self.fail(format_args!("missing value for {context}")),
        }
    }

    fn if_control(&mut self) -> PResult<Node> {
        self.parse_control("if").map(Node::If)
    }

    fn range_control(&mut self) -> PResult<Node> {
        self.parse_control("range").map(Node::Range)
    }

    fn with_control(&mut self) -> PResult<Node> {
        self.parse_control("with").map(Node::With)
    }

    fn end_control(&mut self) -> PResult<Parsed> {
        self.expect(ItemType::RightDelim, "end")?;
        Ok(Parsed::End)
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        // "{{else if ..." and "{{else with ..." are treated as
        // "{{else}}{{if ..." and "{{else}}{{with ...": return the else here.
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(Parsed::Else(peek.pos));
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else(token.pos))
    }

    /// `{{block "name" pipeline}} ... {{end}}`: defines the template and
    /// calls it. The block keyword is past.
    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;

        let saved = std::mem::replace(&mut self.t, TreeState::new(name.clone()));
        let r = self.item_list();
        let (root, end) = match r {
            Ok(x) => x,
            Err(e) => {
                self.t = saved;
                return Err(e);
            }
        };
        // Go reports a wrong terminator through the enclosing tree.
        let block_state = std::mem::replace(&mut self.t, saved);
        if !matches!(end, Parsed::End) {
            return self.fail(format_args!("unexpected {} in {}", end.describe(), CONTEXT));
        }
        let outer = std::mem::replace(&mut self.t, block_state);
        let r = self.add(root);
        self.t = outer;
        r?;
        Ok(Node::Template(TemplateNode { pos: token.pos, line: token.line, name, pipe: Some(pipe) }))
    }

    /// `{{template "name" pipeline?}}`; the template keyword is past.
    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            // Do not pop variables; they persist until "end".
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Node::Template(TemplateNode { pos: token.pos, line: token.line, name, pipe }))
    }

    fn parse_template_name(&self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => unquote(&token.val).map_err(|_| self.error(ERR_SYNTAX.into())),
            _ => Err(self.unexpected(token, context)),
        }
    }

    /// command: operand (space operand)*, up to a pipe or right delimiter.
    /// Consumes the pipe but leaves the right delimiter.
    fn command(&mut self) -> PResult<CommandNode> {
        let pos = self.peek_non_space().pos;
        let mut cmd = CommandNode { pos, args: Vec::new() };
        loop {
            self.peek_non_space(); // Skip leading spaces.
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return Err(self.unexpected(&token, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.fail(format_args!("empty command"));
        }
        Ok(cmd)
    }

    /// operand: term .Field*
    fn operand(&mut self) -> PResult<Option<Arg>> {
        let node = match self.term()? {
            Some(n) => n,
            None => return Ok(None),
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields: Vec<String> = Vec::new();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            fields.push(f.val.get(1..).unwrap_or("").to_string());
        }
        // Compatibility with Go's API: fields of a field or variable extend
        // it (the node takes the chain's position); other terms keep a chain.
        Ok(Some(match node {
            Arg::Field(mut f) => {
                f.ident.extend(fields);
                f.pos = chain_pos;
                Arg::Field(f)
            }
            Arg::Variable(mut v) => {
                v.ident.extend(fields);
                v.pos = chain_pos;
                Arg::Variable(v)
            }
            n @ (Arg::Bool(_) | Arg::String(_) | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_)) => {
                return self.fail(format_args!("unexpected . after term {}", quote(&n.to_string())));
            }
            n => Arg::Chain(ChainNode { pos: chain_pos, node: Box::new(n), field: fields }),
        }))
    }

    /// term: literal | function | . | .Field | $ | '(' pipeline ')'.
    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let arg = match token.typ {
            ItemType::Identifier => {
                if !self.opts.skip_func_check && !self.has_function(&token.val) {
                    return self.fail(format_args!("function {} not defined", quote(&token.val)));
                }
                Arg::Identifier(IdentifierNode { pos: token.pos, ident: token.val.to_string() })
            }
            ItemType::Dot => Arg::Dot(token.pos),
            ItemType::Nil => Arg::Nil(token.pos),
            ItemType::Variable => Arg::Variable(self.use_var(token.pos, &token.val)?),
            ItemType::Field => Arg::Field(FieldNode {
                pos: token.pos,
                ident: token.val.get(1..).unwrap_or("").split('.').map(str::to_string).collect(),
            }),
            ItemType::Bool => Arg::Bool(BoolNode { pos: token.pos, val: token.val == "true" }),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let kind = match token.typ {
                    ItemType::CharConstant => NumberKind::CharConstant,
                    ItemType::Complex => NumberKind::Complex,
                    _ => NumberKind::Number,
                };
                Arg::Number(new_number(token.pos, &token.val, kind).map_err(|m| self.error(m.message))?)
            }
            ItemType::LeftParen => {
                if self.t.stack_depth >= MAX_STACK_DEPTH {
                    return self.fail(format_args!("max expression depth exceeded"));
                }
                self.t.stack_depth += 1;
                let r = super::with_stack(|| self.pipeline("parenthesized pipeline", ItemType::RightParen));
                self.t.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemType::String | ItemType::RawString => {
                let s = unquote(&token.val).map_err(|_| self.error(ERR_SYNTAX.into()))?;
                Arg::String(StringNode { pos: token.pos, quoted: token.val.to_string(), text: Rc::from(s) })
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(arg))
    }

    /// A variable reference; errors if the variable is not defined.
    fn use_var(&self, pos: Pos, name: &str) -> PResult<VariableNode> {
        let v = new_variable(pos, name);
        let first = v.ident.first().map(String::as_str).unwrap_or("");
        if self.t.vars.contains(&first) {
            return Ok(v);
        }
        self.fail(format_args!("undefined variable {}", quote(first)))
    }
}

fn new_variable(pos: Pos, ident: &str) -> VariableNode {
    VariableNode { pos, ident: ident.split('.').map(str::to_string).collect() }
}

/// Variable names borrow from the source text (variable tokens are never
/// owned: only error items are).
fn borrow_var<'a>(v: &Item<'a>) -> &'a str {
    match v.val {
        std::borrow::Cow::Borrowed(s) => s,
        std::borrow::Cow::Owned(_) => "",
    }
}
