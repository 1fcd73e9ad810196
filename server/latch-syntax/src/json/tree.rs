//! The JSON tree: every key and value with its byte range, object members in source order
//! with duplicates kept.

use crate::span::Span;
use crate::text::Str;

// A word-sized tag keeps every payload word-aligned, which lets values be built and moved
// with whole-word stores (measured: faster JSON parsing).
#[derive(Clone, Debug, PartialEq)]
#[repr(u64)]
pub enum ValueKind {
    Null,
    Bool(bool),
    /// The number as written, so that `10` and `10.0` stay distinguishable.
    Number(Str),
    /// The decoded string value (escapes resolved); a range of the parsed text when
    /// nothing needed decoding.
    String(Str),
    Array(Vec<Value>),
    Object(Vec<Member>),
    /// Where a value was expected but none could be read; the error is in the findings.
    Missing,
}

/// A JSON value. `span` covers the whole value, quotes and brackets included.
#[derive(Clone, Debug)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Clone, Debug)]
pub struct Member {
    /// The decoded key.
    pub key: Str,
    /// The key's span, quotes included.
    pub key_span: Span,
    pub value: Value,
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}

impl Member {
    /// From the key's first byte to the value's last.
    pub fn span(&self) -> Span {
        self.key_span.cover(self.value.span)
    }
}

impl Value {
    pub fn new(kind: ValueKind, span: Span) -> Value {
        Value { kind, span }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            ValueKind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Array(v) => Some(v),
            _ => None,
        }
    }

    /// The first member named `key` (exact, case-sensitive).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The span of the text inside the quotes of a string value, or the whole span
    /// for anything else.
    pub fn inner_span(&self) -> Span {
        match &self.kind {
            ValueKind::String(_) if self.span.len() >= 2 => {
                Span::new(self.span.start + 1, self.span.end - 1)
            }
            _ => self.span,
        }
    }

    /// What kind of value this is, in words, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            ValueKind::Null => "null",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Number(_) => "a number",
            ValueKind::String(_) => "a string",
            ValueKind::Array(_) => "an array",
            ValueKind::Object(_) => "an object",
            ValueKind::Missing => "nothing",
        }
    }

    /// The scalar as policy text: strings as they are, numbers and booleans as written
    /// (AWS accepts `true` and `10` where it expects strings).
    pub fn scalar_text(&self) -> Option<String> {
        self.scalar_str().map(String::from)
    }

    /// [`Value::scalar_text`] without a copy.
    pub fn scalar_str(&self) -> Option<Str> {
        match &self.kind {
            ValueKind::String(s) => Some(s.clone()),
            ValueKind::Number(n) => Some(n.clone()),
            ValueKind::Bool(b) => Some(Str::from_static(if *b { "true" } else { "false" })),
            _ => None,
        }
    }

    /// Renders the value as compact JSON (used to count policy size and in tests).
    pub fn to_compact_json(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out);
        out
    }

    fn write_compact(&self, out: &mut String) {
        match &self.kind {
            ValueKind::Null | ValueKind::Missing => out.push_str("null"),
            ValueKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            ValueKind::Number(n) => out.push_str(n),
            ValueKind::String(s) => write_json_string(s, out),
            ValueKind::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_compact(out);
                }
                out.push(']');
            }
            ValueKind::Object(members) => {
                out.push('{');
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(&m.key, out);
                    out.push(':');
                    m.value.write_compact(out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes `s` as a JSON string literal, quotes included.
pub fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` as a JSON string literal, quotes included.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_json_string(s, &mut out);
    out
}
