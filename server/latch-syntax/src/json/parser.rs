//! The recovering recursive-descent parser. It builds the best tree it can and records each
//! error with a precise range and, where the repair is mechanical, a fix: a missing comma
//! is inserted, a trailing comma deleted, a missing bracket added.
//!
//! Recursion is bounded by [`MAX_DEPTH`]; deeper input is skipped without recursion, so no
//! input can overflow the stack.

use crate::finding::{Edit, Finding, Fix, Related};
use crate::json::lexer::{Lexer, Token, TokenKind};
use crate::json::tree::{Member, Value, ValueKind};
use crate::span::Span;
use crate::text::Str;

/// Nesting deeper than this is reported and skipped. Policies nest about six levels.
pub const MAX_DEPTH: usize = 128;

/// The kind of a token without its payload: cheap to copy while looking ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    Str,
    Number,
    Word,
    Unknown(char),
    Eof,
}

fn class(kind: &TokenKind) -> Class {
    match kind {
        TokenKind::LBrace => Class::LBrace,
        TokenKind::RBrace => Class::RBrace,
        TokenKind::LBracket => Class::LBracket,
        TokenKind::RBracket => Class::RBracket,
        TokenKind::Colon => Class::Colon,
        TokenKind::Comma => Class::Comma,
        TokenKind::Str { .. } => Class::Str,
        TokenKind::Number(_) => Class::Number,
        TokenKind::Word(_) => Class::Word,
        TokenKind::Unknown(c) => Class::Unknown(*c),
        TokenKind::Eof => Class::Eof,
    }
}

pub struct Parser<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    /// End of the last token consumed: where a missing comma or bracket goes.
    last_end: usize,
    findings: Vec<Finding>,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            lexer: Lexer::new(text, std::sync::Arc::from(text)),
            peeked: None,
            last_end: 0,
            findings: Vec::new(),
        }
    }

    fn peek(&mut self) -> &Token {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token());
        }
        // The branch above guarantees a token is present.
        self.peeked.get_or_insert_with(|| Token {
            kind: TokenKind::Eof,
            span: Span::empty(0),
        })
    }

    /// The next token's class and span, without consuming it.
    fn peek_c(&mut self) -> (Class, Span) {
        let t = self.peek();
        (class(&t.kind), t.span)
    }

    fn bump(&mut self) -> Token {
        let tok = match self.peeked.take() {
            Some(t) => t,
            None => self.lexer.next_token(),
        };
        if tok.kind != TokenKind::Eof {
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
                    let text = if tok.kind == TokenKind::RBrace {
                        "}"
                    } else {
                        "]"
                    };
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
                let TokenKind::Str { value, .. } = tok.kind else {
                    return Value::new(ValueKind::Missing, tok.span);
                };
                Value::new(ValueKind::String(value), tok.span)
            }
            Class::Number => {
                let tok = self.bump();
                let TokenKind::Number(n) = tok.kind else {
                    return Value::new(ValueKind::Missing, tok.span);
                };
                Value::new(ValueKind::Number(n), tok.span)
            }
            Class::Word => {
                let tok = self.bump();
                let TokenKind::Word(w) = tok.kind else {
                    return Value::new(ValueKind::Missing, tok.span);
                };
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
            match tok.kind {
                TokenKind::LBrace | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RBracket => depth -= 1,
                TokenKind::Eof => break,
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
        let mut members: Vec<Member> = Vec::new();
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
                    let key = match key_tok.kind {
                        TokenKind::Str { value, .. } => value,
                        TokenKind::Word(w) => {
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
                        _ => Str::new(),
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
                        members.push(Member {
                            key,
                            key_span,
                            value: Value::new(ValueKind::Missing, Span::empty(key_span.end)),
                        });
                        after_member = true;
                        continue;
                    }
                    let value = self.value(depth + 1);
                    members.push(Member {
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
        self.report_duplicates(&members);
        Value::new(ValueKind::Object(members), span)
    }

    fn report_duplicates(&mut self, members: &[Member]) {
        for (i, m) in members.iter().enumerate() {
            if let Some(first) = members[..i].iter().find(|p| p.key == m.key) {
                let f = Finding::error(
                    "syntax/duplicate-key",
                    m.key_span,
                    format!("duplicate key `{}`: AWS keeps only one of them, and which one is not defined", m.key),
                )
                .with_related(Related { path: None, range: first.key_span, message: "first defined here".to_string() });
                self.findings.push(f);
            }
        }
    }

    fn array(&mut self, depth: usize) -> Value {
        let open = self.bump().span;
        let mut items: Vec<Value> = Vec::new();
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
                    items.push(v);
                    after_item = true;
                }
            }
        }
        Value::new(ValueKind::Array(items), Span::new(open.start, end))
    }
}
