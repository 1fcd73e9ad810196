//! The recovering recursive-descent parser. It builds the best tree it can and records each
//! error with a precise range and, where the repair is mechanical, a fix: a missing comma
//! is inserted, a trailing comma deleted, a missing bracket added.
//!
//! Recursion is bounded by [`MAX_DEPTH`]; deeper input is skipped without recursion, so no
//! input can overflow the stack.

use std::cell::Cell;
use std::sync::Arc;

use crate::finding::{Edit, Finding, Fix, Related};
use crate::json::lexer::{Class, Lexer, Token};
use crate::json::tree::{Member, Value, ValueKind};
use crate::span::Span;
use crate::text::Str;

/// Nesting deeper than this is reported and skipped. Policies nest about six levels.
pub const MAX_DEPTH: usize = 128;

thread_local! {
    /// The parsers' working stacks, kept between parses on the same thread so that
    /// parsing many small documents does not allocate them again each time.
    static STACKS: Cell<(Vec<Member>, Vec<Value>)> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// Stacks that grew past this many entries (a huge document) are not kept.
const KEEP_STACK: usize = 1024;

/// Empty stacks for members and items: the ones the last parse on this thread left.
fn take_stacks() -> (Vec<Member>, Vec<Value>) {
    STACKS.with(Cell::take)
}

/// Keeps the stacks for the next parse on this thread.
fn keep_stacks(mut members: Vec<Member>, mut items: Vec<Value>) {
    if members.capacity() <= KEEP_STACK && items.capacity() <= KEEP_STACK {
        members.clear();
        items.clear();
        STACKS.with(|s| s.set((members, items)));
    }
}

pub struct Parser<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    /// End of the last token consumed: where a missing comma or bracket goes.
    last_end: usize,
    findings: Vec<Finding>,
    /// The members of the objects being read, innermost last: each object takes its own
    /// off the end when it closes, into a vector of exactly its size.
    members: Vec<Member>,
    /// The same for the items of arrays.
    items: Vec<Value>,
}

impl<'a> Parser<'a> {
    /// `src` holds the same text as `text`.
    pub fn new(text: &'a str, src: Arc<str>) -> Parser<'a> {
        let (members, items) = take_stacks();
        Parser {
            text,
            lexer: Lexer::new(text, src),
            peeked: None,
            last_end: 0,
            findings: Vec::new(),
            members,
            items,
        }
    }

    /// The next token, without consuming it.
    fn peek(&mut self) -> Token {
        match self.peeked {
            Some(t) => t,
            None => {
                let t = self.lexer.next_token();
                self.peeked = Some(t);
                t
            }
        }
    }

    /// The next token's class and span, without consuming it.
    fn peek_c(&mut self) -> (Class, Span) {
        let t = self.peek();
        (t.class, t.span)
    }

    fn bump(&mut self) -> Token {
        let tok = match self.peeked.take() {
            Some(t) => t,
            None => self.lexer.next_token(),
        };
        if tok.class != Class::Eof {
            self.last_end = tok.span.end;
        }
        tok
    }

    fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding::error(code, span, message));
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Parses the whole text: one value, then nothing.
    pub fn parse_document(mut self) -> (Option<Value>, Vec<Finding>) {
        let value = if self.peek_c().0 == Class::Eof {
            let span = Span::new(0, self.text.len());
            self.error(
                "syntax/empty-document",
                span,
                "the document is empty; a policy is a JSON object",
            );
            None
        } else {
            Some(self.value(0))
        };
        // Anything after the top-level value.
        loop {
            let (c, span) = self.peek_c();
            match c {
                Class::Eof => break,
                Class::RBrace | Class::RBracket => {
                    let tok = self.bump();
                    let text = if tok.class == Class::RBrace { "}" } else { "]" };
                    self.error(
                        "syntax/unexpected-token",
                        tok.span,
                        format!("`{text}` has no opening bracket"),
                    )
                    .fixes
                    .push(Fix::safe("remove it", vec![Edit::delete(tok.span)]));
                }
                _ => {
                    let start = span.start;
                    // Read (and drop) the rest as values so the report covers it whole.
                    let mut end = span.end;
                    while self.peek_c().0 != Class::Eof {
                        let v = self.value(0);
                        end = v.span.end.max(end);
                        if v.kind == ValueKind::Missing {
                            self.bump();
                        }
                    }
                    self.error(
                        "syntax/unexpected-token",
                        Span::new(start, end),
                        "unexpected content after the end of the document",
                    );
                    break;
                }
            }
        }
        let mut findings = std::mem::take(&mut self.lexer.findings);
        findings.append(&mut self.findings);
        findings.sort_by_key(|f| (f.range.start, f.range.end));
        keep_stacks(self.members, self.items);
        (value, findings)
    }

    fn value(&mut self, depth: usize) -> Value {
        let (c, span) = self.peek_c();
        match c {
            Class::LBrace | Class::LBracket if depth >= MAX_DEPTH => self.skip_deep(),
            Class::LBrace => self.object(depth),
            Class::LBracket => self.array(depth),
            Class::Str => {
                let tok = self.bump();
                Value::new(ValueKind::String(self.lexer.text_of(&tok)), tok.span)
            }
            Class::Number => {
                let tok = self.bump();
                Value::new(ValueKind::Number(self.lexer.text_of(&tok)), tok.span)
            }
            Class::Word => {
                let tok = self.bump();
                let w = self.lexer.text_of(&tok);
                self.word_value(w, tok.span)
            }
            Class::Unknown(c) => {
                let tok = self.bump();
                self.error(
                    "syntax/unexpected-token",
                    tok.span,
                    format!("unexpected character `{c}`"),
                );
                Value::new(ValueKind::Missing, tok.span)
            }
            Class::Eof => {
                let at = Span::empty(self.text.len());
                self.error(
                    "syntax/missing-value",
                    at,
                    "expected a value, found the end of the document",
                );
                Value::new(ValueKind::Missing, at)
            }
            Class::RBrace | Class::RBracket | Class::Colon | Class::Comma => {
                // Not consumed: the caller's loop decides what the punctuation closes.
                self.error(
                    "syntax/missing-value",
                    span,
                    format!("expected a value, found `{}`", self.slice(span)),
                );
                Value::new(ValueKind::Missing, Span::empty(span.start))
            }
        }
    }

    fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    fn word_value(&mut self, word: Str, span: Span) -> Value {
        match word.as_str() {
            "true" => Value::new(ValueKind::Bool(true), span),
            "false" => Value::new(ValueKind::Bool(false), span),
            "null" => Value::new(ValueKind::Null, span),
            _ => {
                let lower = word.to_ascii_lowercase();
                if matches!(lower.as_str(), "true" | "false" | "null") {
                    self.error(
                        "syntax/invalid-literal",
                        span,
                        format!("`{word}` is not a JSON literal; write `{lower}`"),
                    )
                    .fixes
                    .push(Fix::safe(
                        format!("write `{lower}`"),
                        vec![Edit::replace(span, lower.clone())],
                    ));
                    return match lower.as_str() {
                        "true" => Value::new(ValueKind::Bool(true), span),
                        "false" => Value::new(ValueKind::Bool(false), span),
                        _ => Value::new(ValueKind::Null, span),
                    };
                }
                let quoted = crate::json::tree::json_string(&word);
                self.error(
                    "syntax/unquoted-string",
                    span,
                    format!("`{word}` must be quoted"),
                )
                .fixes
                .push(Fix::safe(
                    "add the quotes",
                    vec![Edit::replace(span, quoted)],
                ));
                Value::new(ValueKind::String(word), span)
            }
        }
    }

    /// Skips a too-deeply nested value without recursion.
    fn skip_deep(&mut self) -> Value {
        let open = self.bump();
        let mut depth = 1usize;
        let mut end = open.span.end;
        while depth > 0 {
            let tok = self.bump();
            match tok.class {
                Class::LBrace | Class::LBracket => depth += 1,
                Class::RBrace | Class::RBracket => depth -= 1,
                Class::Eof => break,
                _ => {}
            }
            end = tok.span.end.max(end);
        }
        let span = Span::new(open.span.start, end);
        self.error(
            "syntax/too-deep",
            Span::new(open.span.start, open.span.end),
            format!("nesting deeper than {MAX_DEPTH} levels is not read"),
        );
        Value::new(ValueKind::Missing, span)
    }

    fn starts_value(c: Class) -> bool {
        matches!(
            c,
            Class::LBrace | Class::LBracket | Class::Str | Class::Number | Class::Word
        )
    }

    fn unclosed(&mut self, open: Span, close: &str) {
        let at = self.last_end;
        let what = if close == "}" { "object" } else { "array" };
        self.error(
            "syntax/unclosed-bracket",
            open,
            format!("this {what} is never closed: `{close}` is missing"),
        )
        .fixes
        .push(Fix::safe(
            format!("insert `{close}`"),
            vec![Edit::insert(at, close)],
        ));
    }

    fn missing_comma(&mut self, next: Span) {
        let at = self.last_end;
        let shown = self.slice(next).chars().take(40).collect::<String>();
        self.error(
            "syntax/missing-comma",
            next,
            format!("missing `,` before `{shown}`"),
        )
        .fixes
        .push(Fix::safe(
            "insert the missing `,`",
            vec![Edit::insert(at, ",")],
        ));
    }

    fn trailing_comma(&mut self, comma: Span) {
        self.error(
            "syntax/trailing-comma",
            comma,
            "trailing `,`: JSON does not allow a comma before the closing bracket",
        )
        .fixes
        .push(Fix::safe(
            "remove the trailing `,`",
            vec![Edit::delete(comma)],
        ));
    }

    fn extra_comma(&mut self, comma: Span) {
        self.error("syntax/trailing-comma", comma, "unexpected `,`")
            .fixes
            .push(Fix::safe("remove the `,`", vec![Edit::delete(comma)]));
    }

    fn object(&mut self, depth: usize) -> Value {
        let open = self.bump().span;
        let base = self.members.len();
        // Whether the last thing read was a member (so a comma or a close is expected).
        let mut after_member = false;
        let mut pending_comma: Option<Span> = None;
        let end;
        loop {
            let (c, tok_span) = self.peek_c();
            match c {
                Class::RBrace => {
                    if let Some(c) = pending_comma.take() {
                        self.trailing_comma(c);
                    }
                    end = self.bump().span.end;
                    break;
                }
                Class::Eof | Class::RBracket => {
                    // `]` here most likely closes an enclosing array whose object lost
                    // its `}`; leave it to the enclosing parser.
                    if let Some(c) = pending_comma.take() {
                        self.trailing_comma(c);
                    }
                    self.unclosed(open, "}");
                    end = self.last_end.max(open.end);
                    break;
                }
                Class::Comma => {
                    let comma = self.bump().span;
                    if !after_member || pending_comma.is_some() {
                        self.extra_comma(comma);
                    } else {
                        pending_comma = Some(comma);
                    }
                    after_member = false;
                }
                Class::Colon => {
                    let colon = self.bump().span;
                    self.error(
                        "syntax/unexpected-token",
                        colon,
                        "unexpected `:`: expected a key",
                    );
                }
                Class::Str | Class::Word => {
                    if after_member && pending_comma.is_none() {
                        self.missing_comma(tok_span);
                    }
                    pending_comma = None;
                    let key_tok = self.bump();
                    let key = match key_tok.class {
                        Class::Str => self.lexer.text_of(&key_tok),
                        _ => {
                            let w = self.lexer.text_of(&key_tok);
                            let quoted = crate::json::tree::json_string(&w);
                            self.error(
                                "syntax/unquoted-string",
                                key_tok.span,
                                format!("key `{w}` must be quoted"),
                            )
                            .fixes
                            .push(Fix::safe(
                                "add the quotes",
                                vec![Edit::replace(key_tok.span, quoted)],
                            ));
                            w
                        }
                    };
                    let key_span = key_tok.span;
                    // The colon.
                    let (next, next_span) = self.peek_c();
                    if next == Class::Colon {
                        self.bump();
                    } else if Self::starts_value(next) {
                        let at = self.last_end;
                        self.error(
                            "syntax/missing-colon",
                            next_span,
                            format!("missing `:` after key `{key}`"),
                        )
                        .fixes
                        .push(Fix::safe("insert `:`", vec![Edit::insert(at, ":")]));
                    } else {
                        let at = Span::new(key_span.start, key_span.end);
                        self.error(
                            "syntax/missing-value",
                            at,
                            format!("key `{key}` has no value"),
                        );
                        self.members.push(Member {
                            key,
                            key_span,
                            value: Value::new(ValueKind::Missing, Span::empty(key_span.end)),
                        });
                        after_member = true;
                        continue;
                    }
                    let value = self.value(depth + 1);
                    self.members.push(Member {
                        key,
                        key_span,
                        value,
                    });
                    after_member = true;
                }
                Class::LBrace | Class::LBracket | Class::Number | Class::Unknown(_) => {
                    // A value where a key belongs: read it whole so brackets stay
                    // balanced, and drop it.
                    if let Class::Unknown(_) = c {
                        let t = self.bump();
                        self.error(
                            "syntax/unexpected-token",
                            t.span,
                            format!("unexpected character `{}`", self.slice(t.span)),
                        );
                        continue;
                    }
                    let v = self.value(depth + 1);
                    self.error("syntax/unexpected-token", v.span, "expected a quoted key");
                }
            }
        }
        let span = Span::new(open.start, end);
        let members = self.members.get(base..).unwrap_or_default();
        report_duplicates(members, &mut self.findings);
        let members: Vec<Member> = self.members.drain(base..).collect();
        Value::new(ValueKind::Object(members), span)
    }

    fn array(&mut self, depth: usize) -> Value {
        let open = self.bump().span;
        let base = self.items.len();
        let mut after_item = false;
        let mut pending_comma: Option<Span> = None;
        let end;
        loop {
            let (c, tok_span) = self.peek_c();
            match c {
                Class::RBracket => {
                    if let Some(c) = pending_comma.take() {
                        self.trailing_comma(c);
                    }
                    end = self.bump().span.end;
                    break;
                }
                Class::Eof | Class::RBrace => {
                    if let Some(c) = pending_comma.take() {
                        self.trailing_comma(c);
                    }
                    self.unclosed(open, "]");
                    end = self.last_end.max(open.end);
                    break;
                }
                Class::Comma => {
                    let comma = self.bump().span;
                    if !after_item || pending_comma.is_some() {
                        self.extra_comma(comma);
                    } else {
                        pending_comma = Some(comma);
                    }
                    after_item = false;
                }
                Class::Colon => {
                    let colon = self.bump().span;
                    self.error(
                        "syntax/unexpected-token",
                        colon,
                        "unexpected `:` in an array",
                    );
                }
                _ => {
                    if after_item && pending_comma.is_none() {
                        self.missing_comma(tok_span);
                    }
                    pending_comma = None;
                    let v = self.value(depth + 1);
                    if v.kind == ValueKind::Missing && v.span.is_empty() {
                        // Nothing was consumed; avoid looping on the same token.
                        self.bump();
                        continue;
                    }
                    self.items.push(v);
                    after_item = true;
                }
            }
        }
        let items: Vec<Value> = self.items.drain(base..).collect();
        Value::new(ValueKind::Array(items), Span::new(open.start, end))
    }
}

/// Reports every key of `members` that an earlier member already has.
fn report_duplicates(members: &[Member], findings: &mut Vec<Finding>) {
    for (i, m) in members.iter().enumerate() {
        let key = m.key.as_str();
        let earlier = members.get(..i).unwrap_or_default();
        if let Some(first) = earlier.iter().find(|p| p.key.as_str() == key) {
            let f = Finding::error(
                "syntax/duplicate-key",
                m.key_span,
                format!(
                    "duplicate key `{}`: AWS keeps only one of them, and which one is not defined",
                    m.key
                ),
            )
            .with_related(Related {
                path: None,
                range: first.key_span,
                message: "first defined here".to_string(),
            });
            findings.push(f);
        }
    }
}
