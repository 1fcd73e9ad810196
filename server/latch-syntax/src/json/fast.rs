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

use crate::json::lexer::{
    ascii_run, ascii_word_len, is_typographic_quote, number_len, skip_blanks, valid_json_number,
};
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
        c: Cursor::new(text),
        src,
        keys,
        values,
    };
    let value = p
        .value(0)
        .filter(|_| p.c.at_end())
        .and_then(|_| p.values.pop());
    let (mut keys, mut values) = (p.keys, p.values);
    if keys.capacity() <= KEEP_STACK && values.capacity() <= KEEP_STACK {
        keys.clear();
        values.clear();
        STACKS.with(|s| s.set((keys, values)));
    }
    value
}

/// A position in plain JSON text, with the scans the fast paths share (this one and the
/// policy model's, [`crate::policy::build`]): each gives `None` where the recovering
/// parser would have something to say.
pub(crate) struct Cursor<'a> {
    pub(crate) text: &'a str,
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    pub(crate) fn blanks(&mut self) {
        self.pos = skip_blanks(self.bytes, self.pos);
    }

    /// The byte at the position.
    pub(crate) fn byte(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Whether only blanks are left.
    pub(crate) fn at_end(&self) -> bool {
        skip_blanks(self.bytes, self.pos) == self.bytes.len()
    }

    /// Reads a string at the current position (its opening quote) whose value is its
    /// text; returns the offset of its closing quote.
    pub(crate) fn string(&mut self) -> Option<usize> {
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

    /// Reads a number; its span.
    pub(crate) fn number(&mut self) -> Option<Span> {
        let start = self.pos;
        let len = number_len(self.bytes, start);
        if !valid_json_number(self.text.get(start..start + len)?) {
            return None;
        }
        self.pos = start + len;
        Some(Span::new(start, self.pos))
    }

    /// `true`, `false` or `null`, read as the lexer reads a word.
    pub(crate) fn literal(&mut self) -> Option<(ValueKind, Span)> {
        let start = self.pos;
        let rest = self.bytes.get(start..)?;
        let len = ascii_word_len(self.bytes, start);
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
        Some((kind, Span::new(start, self.pos)))
    }

    /// After an opening bracket: skips blanks, and consumes `close` if it comes next (an
    /// empty object or array).
    pub(crate) fn empty(&mut self, close: u8) -> bool {
        self.blanks();
        let empty = self.byte() == Some(close);
        if empty {
            self.pos += 1;
        }
        empty
    }

    /// Reads a member's key (at the position) and its colon; the key's span, quotes
    /// included.
    pub(crate) fn key(&mut self) -> Option<Span> {
        if self.byte() != Some(b'"') {
            return None;
        }
        let start = self.pos;
        let close = self.string()?;
        self.blanks();
        if self.byte() != Some(b':') {
            return None;
        }
        self.pos += 1;
        Some(Span::new(start, close + 1))
    }

    /// After a member's value: `,` (then blanks) gives `Some(false)`, the closing
    /// `close` gives `Some(true)`.
    pub(crate) fn next_or_close(&mut self, close: u8) -> Option<bool> {
        self.blanks();
        match self.byte()? {
            b',' => {
                self.pos += 1;
                self.blanks();
                Some(false)
            }
            b if b == close => {
                self.pos += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// Whether the key at `span` (quotes included) is written again in `earlier`: the
    /// recovering parser reports duplicate keys.
    pub(crate) fn repeats(&self, earlier: &[Span], span: Span) -> bool {
        let key = self.text.get(span.start + 1..span.end.saturating_sub(1));
        earlier
            .iter()
            .any(|s| s.len() == span.len() && self.text.get(s.start + 1..s.end - 1) == key)
    }
}

struct Plain<'a> {
    c: Cursor<'a>,
    src: &'a Arc<str>,
    /// The keys of the objects being read, innermost last.
    keys: Vec<(Str, Span)>,
    /// The values read and not yet taken into their object or array, innermost last.
    /// Each value is made in place here (returning values is slower).
    values: Vec<Value>,
}

impl Plain<'_> {
    /// Reads a value onto the stack of values.
    fn value(&mut self, depth: usize) -> Option<()> {
        self.c.blanks();
        let start = self.c.pos;
        match self.c.byte()? {
            b'"' => {
                let close = self.c.string()?;
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

    fn number(&mut self) -> Option<()> {
        let span = self.c.number()?;
        self.values.push(Value::new(
            ValueKind::Number(Str::slice(self.src, span.range())),
            span,
        ));
        Some(())
    }

    fn literal(&mut self) -> Option<()> {
        let (kind, span) = self.c.literal()?;
        self.values.push(Value::new(kind, span));
        Some(())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        let open = self.c.pos;
        self.c.pos += 1;
        let keys = self.keys.len();
        let values = self.values.len();
        if !self.c.empty(b'}') {
            loop {
                let span = self.c.key()?;
                let key = Str::slice_or_word(self.src, span.start + 1..span.end - 1);
                self.keys.push((key, span));
                self.value(depth + 1)?;
                if self.c.next_or_close(b'}')? {
                    break;
                }
            }
        }
        // Duplicate keys are reported by the recovering parser.
        // (Their texts are the keys: the fast path reads no escapes.)
        let read = self.keys.get(keys..)?;
        for (i, (key, _)) in read.iter().enumerate() {
            if read.get(..i)?.iter().any(|(k, _)| k == key) {
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
            Span::new(open, self.c.pos),
        ));
        Some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        let open = self.c.pos;
        self.c.pos += 1;
        let values = self.values.len();
        if !self.c.empty(b']') {
            loop {
                self.value(depth + 1)?;
                if self.c.next_or_close(b']')? {
                    break;
                }
            }
        }
        let items: Vec<Value> = self.values.drain(values..).collect();
        self.values.push(Value::new(
            ValueKind::Array(items),
            Span::new(open, self.c.pos),
        ));
        Some(())
    }
}
