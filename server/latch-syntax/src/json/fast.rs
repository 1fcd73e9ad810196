//! The fast path of [`parse`](super::parse): plain, valid JSON, read straight from the
//! bytes without tokens, recovery or findings.
//!
//! It reads only documents on which the recovering parser would report nothing: strict
//! JSON whose strings need no decoding, nested at most [`MAX_DEPTH`] levels, without
//! duplicate keys. At the first byte that is anything else (an escape, a comment, a
//! typographic quote, a missing comma, ...) it gives up and the recovering parser reads the
//! document from the start. Where it succeeds, its tree is exactly the recovering
//! parser's, ranges included (`json::tests` compares the two on mutated documents).

use std::cell::Cell;
use std::sync::Arc;

use crate::json::lexer::{ascii_run, is_typographic_quote, skip_blanks, valid_json_number};
use crate::json::parser::MAX_DEPTH;
use crate::json::tree::{Member, Value, ValueKind};
use crate::span::Span;
use crate::text::Str;

/// The keys of the objects being read and the values read, innermost last.
type Stacks = (Vec<(Str, Span)>, Vec<Value>);

thread_local! {
    /// The stacks, kept between parses on the same thread so that parsing many small
    /// documents does not allocate them again each time.
    static STACKS: Cell<Stacks> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// Stacks that grew past this many entries (a huge document) are not kept.
const KEEP_STACK: usize = 1024;

/// The tree of `text` when it is plain, valid JSON; `None` otherwise. `src` holds the
/// same text.
pub(crate) fn parse_plain(text: &str, src: &Arc<str>) -> Option<Value> {
    let (keys, values) = STACKS.with(Cell::take);
    let mut p = Plain {
        text,
        bytes: text.as_bytes(),
        src,
        pos: 0,
        keys,
        values,
    };
    let value = p
        .value(0)
        .filter(|_| skip_blanks(p.bytes, p.pos) == p.bytes.len())
        .and_then(|_| p.values.pop());
    let (mut keys, mut values) = (p.keys, p.values);
    if keys.capacity() <= KEEP_STACK && values.capacity() <= KEEP_STACK {
        keys.clear();
        values.clear();
        STACKS.with(|s| s.set((keys, values)));
    }
    value
}

struct Plain<'a> {
    text: &'a str,
    bytes: &'a [u8],
    src: &'a Arc<str>,
    pos: usize,
    /// The keys of the objects being read, innermost last.
    keys: Vec<(Str, Span)>,
    /// The values read and not yet taken into their object or array, innermost last.
    /// Each value is made in place here (returning values is slower).
    values: Vec<Value>,
}

impl Plain<'_> {
    fn blanks(&mut self) {
        self.pos = skip_blanks(self.bytes, self.pos);
    }

    fn byte(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Reads a value onto the stack of values.
    fn value(&mut self, depth: usize) -> Option<()> {
        self.blanks();
        let start = self.pos;
        match self.byte()? {
            b'"' => {
                let close = self.string()?;
                let s = Str::slice_or_word(self.src, start + 1..close);
                self.values.push(Value::new(
                    ValueKind::String(s),
                    Span::new(start, close + 1),
                ));
                Some(())
            }
            b'{' if depth < MAX_DEPTH => self.object(depth),
            b'[' if depth < MAX_DEPTH => self.array(depth),
            b'-' | b'0'..=b'9' => self.number(),
            b't' | b'f' | b'n' => self.literal(),
            _ => None,
        }
    }

    /// Reads a string at the current position (its opening quote) whose value is its
    /// text; returns the offset of its closing quote.
    fn string(&mut self) -> Option<usize> {
        let mut at = self.pos + 1;
        loop {
            at += ascii_run(self.bytes, at);
            match self.bytes.get(at)? {
                b'"' => break,
                0x80.. => {
                    // A character beyond ASCII is text, but for a typographic quote:
                    // that the recovering parser decides about.
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
        Some(at)
    }

    fn number(&mut self) -> Option<()> {
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
        self.values.push(Value::new(
            ValueKind::Number(Str::slice(self.src, span.range())),
            span,
        ));
        Some(())
    }

    /// `true`, `false` or `null`, read as the lexer reads a word.
    fn literal(&mut self) -> Option<()> {
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
        self.values
            .push(Value::new(kind, Span::new(start, self.pos)));
        Some(())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        let open = self.pos;
        self.pos += 1;
        let keys = self.keys.len();
        let values = self.values.len();
        self.blanks();
        if self.byte() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.byte() != Some(b'"') {
                    return None;
                }
                let start = self.pos;
                let close = self.string()?;
                let key = Str::slice_or_word(self.src, start + 1..close);
                self.keys.push((key, Span::new(start, close + 1)));
                self.blanks();
                if self.byte() != Some(b':') {
                    return None;
                }
                self.pos += 1;
                self.value(depth + 1)?;
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
        }
        // Duplicate keys are reported by the recovering parser.
        let read = self.keys.get(keys..)?;
        for (i, (_, span)) in read.iter().enumerate() {
            // Keys are ranges of the text: compare lengths, then the text.
            let key = self.text.get(span.start + 1..span.end - 1)?;
            let same = |(_, s): &(Str, Span)| {
                s.len() == span.len() && self.text.get(s.start + 1..s.end - 1) == Some(key)
            };
            if read.get(..i)?.iter().any(same) {
                return None;
            }
        }
        let members: Vec<Member> = self
            .keys
            .drain(keys..)
            .zip(self.values.drain(values..))
            .map(|((key, key_span), value)| Member {
                key,
                key_span,
                value,
            })
            .collect();
        self.values.push(Value::new(
            ValueKind::Object(members),
            Span::new(open, self.pos),
        ));
        Some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        let open = self.pos;
        self.pos += 1;
        let values = self.values.len();
        self.blanks();
        if self.byte() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.value(depth + 1)?;
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
        }
        let items: Vec<Value> = self.values.drain(values..).collect();
        self.values.push(Value::new(
            ValueKind::Array(items),
            Span::new(open, self.pos),
        ));
        Some(())
    }
}
