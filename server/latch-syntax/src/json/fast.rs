//! The fast path of [`parse`](super::parse): plain, valid JSON, read straight from the
//! bytes without tokens, recovery or findings.
//!
//! It reads only documents on which the recovering parser would report nothing: strict
//! JSON whose strings need no decoding, nested at most [`MAX_DEPTH`] levels, without
//! duplicate keys. At the first byte that is anything else (an escape, a comment, a
//! typographic quote, a missing comma, ...) it gives up and the recovering parser reads the
//! document from the start. Where it succeeds, its tree is exactly the recovering
//! parser's, ranges included (`json::tests` compares the two on mutated documents).

use std::sync::Arc;

use crate::json::lexer::{is_typographic_quote, plain_run, skip_blanks, valid_json_number};
use crate::json::parser::{MAX_DEPTH, keep_stacks, take_stacks};
use crate::json::tree::{Member, Value, ValueKind};
use crate::span::Span;
use crate::text::Str;

/// The tree of `text` when it is plain, valid JSON; `None` otherwise. `src` holds the
/// same text.
pub(crate) fn parse_plain(text: &str, src: &Arc<str>) -> Option<Value> {
    let (members, items) = take_stacks();
    let mut p = Plain {
        text,
        bytes: text.as_bytes(),
        src,
        pos: 0,
        members,
        items,
    };
    let value = p.value(0).filter(|_| {
        p.pos = skip_blanks(p.bytes, p.pos);
        p.pos == p.bytes.len()
    });
    keep_stacks(p.members, p.items);
    value
}

struct Plain<'a> {
    text: &'a str,
    bytes: &'a [u8],
    src: &'a Arc<str>,
    pos: usize,
    /// Members and items of the objects and arrays being read, innermost last.
    members: Vec<Member>,
    items: Vec<Value>,
}

impl Plain<'_> {
    fn blanks(&mut self) {
        self.pos = skip_blanks(self.bytes, self.pos);
    }

    fn byte(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.blanks();
        match self.byte()? {
            b'"' => {
                let (span, s) = self.string()?;
                Some(Value::new(ValueKind::String(s), span))
            }
            b'{' if depth < MAX_DEPTH => self.object(depth),
            b'[' if depth < MAX_DEPTH => self.array(depth),
            b'-' | b'0'..=b'9' => self.number(),
            b't' | b'f' | b'n' => self.literal(),
            _ => None,
        }
    }

    /// A string at the current position (its opening quote) whose value is its text.
    fn string(&mut self) -> Option<(Span, Str)> {
        let start = self.pos;
        let mut at = start + 1;
        loop {
            at += plain_run(self.bytes, at);
            match self.bytes.get(at)? {
                b'"' => break,
                // An apostrophe inside a straight-quoted string is text.
                b'\'' => at += 1,
                0xE2 => {
                    // A character such as `–`, or a typographic quote: those the
                    // recovering parser decides about.
                    let c = self.text.get(at..)?.chars().next()?;
                    if is_typographic_quote(c) {
                        return None;
                    }
                    at += c.len_utf8();
                }
                // A backslash or a control character.
                _ => return None,
            }
        }
        self.pos = at + 1;
        Some((Span::new(start, self.pos), Str::slice(self.src, start + 1..at)))
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.pos;
        let rest = self.bytes.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
            .unwrap_or(rest.len());
        if !valid_json_number(self.text.get(start..start + len)?) {
            return None;
        }
        self.pos = start + len;
        let span = Span::new(start, self.pos);
        Some(Value::new(
            ValueKind::Number(Str::slice(self.src, span.range())),
            span,
        ))
    }

    /// `true`, `false` or `null`, read as the lexer reads a word.
    fn literal(&mut self) -> Option<Value> {
        let start = self.pos;
        let rest = self.bytes.get(start..)?;
        let len = rest
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-' | b'.')))
            .unwrap_or(rest.len());
        let kind = match rest.get(..len)? {
            b"true" => ValueKind::Bool(true),
            b"false" => ValueKind::Bool(false),
            b"null" => ValueKind::Null,
            _ => return None,
        };
        // A letter beyond ASCII would continue the word.
        if rest.get(len).is_some_and(|b| !b.is_ascii()) {
            return None;
        }
        self.pos = start + len;
        Some(Value::new(kind, Span::new(start, self.pos)))
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        let open = self.pos;
        self.pos += 1;
        let base = self.members.len();
        self.blanks();
        if self.byte() == Some(b'}') {
            self.pos += 1;
            return Some(Value::new(
                ValueKind::Object(Vec::new()),
                Span::new(open, self.pos),
            ));
        }
        loop {
            if self.byte() != Some(b'"') {
                return None;
            }
            let (key_span, key) = self.string()?;
            self.blanks();
            if self.byte() != Some(b':') {
                return None;
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            self.members.push(Member {
                key,
                key_span,
                value,
            });
            self.blanks();
            match self.byte()? {
                b',' => {
                    self.pos += 1;
                    self.blanks();
                }
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        let members = self.members.get(base..)?;
        // Duplicate keys are reported by the recovering parser.
        for (i, m) in members.iter().enumerate() {
            let key = m.key.as_str();
            if members.get(..i)?.iter().any(|p| p.key.as_str() == key) {
                return None;
            }
        }
        let members: Vec<Member> = self.members.drain(base..).collect();
        Some(Value::new(
            ValueKind::Object(members),
            Span::new(open, self.pos),
        ))
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let open = self.pos;
        self.pos += 1;
        let base = self.items.len();
        self.blanks();
        if self.byte() == Some(b']') {
            self.pos += 1;
            return Some(Value::new(
                ValueKind::Array(Vec::new()),
                Span::new(open, self.pos),
            ));
        }
        loop {
            let value = self.value(depth + 1)?;
            self.items.push(value);
            self.blanks();
            match self.byte()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        let items: Vec<Value> = self.items.drain(base..).collect();
        Some(Value::new(
            ValueKind::Array(items),
            Span::new(open, self.pos),
        ))
    }
}
