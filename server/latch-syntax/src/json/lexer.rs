//! The JSON lexer. It never fails: anything it cannot read becomes an `Unknown` or an
//! error-carrying token, and the lexer always makes progress.
//!
//! Beyond strict JSON it reads what people paste from web pages and chat: typographic
//! quotes (`“ ” ‘ ’`) and single quotes as string delimiters, comments, bare words. Each
//! departure from strict JSON is recorded as a [`Finding`] with a fix where the repair is
//! mechanical; the parser decides what the tokens mean.

use std::sync::Arc;

use crate::finding::{Edit, Finding, Fix};
use crate::span::Span;
use crate::text::Str;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    /// A string literal (decoded; a range of the text when nothing needed decoding).
    /// `terminated` is false when it ran into a line end or the end of the text.
    Str {
        value: Str,
        terminated: bool,
    },
    Number(Str),
    /// A bare word: `true`, `false`, `null`, or something that should have been quoted.
    Word(Str),
    /// A character that cannot start any token.
    Unknown(char),
    Eof,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub struct Lexer<'a> {
    text: &'a str,
    /// The same text, shared by every string token that needs no decoding.
    src: Arc<str>,
    pos: usize,
    pub findings: Vec<Finding>,
}

const LEFT_DOUBLE: char = '\u{201C}';
const RIGHT_DOUBLE: char = '\u{201D}';
const LEFT_SINGLE: char = '\u{2018}';
const RIGHT_SINGLE: char = '\u{2019}';

fn is_typographic_quote(c: char) -> bool {
    matches!(c, LEFT_DOUBLE | RIGHT_DOUBLE | LEFT_SINGLE | RIGHT_SINGLE)
}

impl<'a> Lexer<'a> {
    /// `src` holds the same text as `text`.
    pub fn new(text: &'a str, src: Arc<str>) -> Lexer<'a> {
        // A byte order mark is not JSON, but editors add it; skip it silently.
        let pos = if text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        };
        Lexer {
            text,
            src,
            pos,
            findings: Vec::new(),
        }
    }

    fn peek_char(&self) -> Option<char> {
        // ASCII, by far the common case, without decoding.
        match self.text.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.text[self.pos..].chars().next(),
            None => None,
        }
    }

    fn peek_char_at(&self, offset: usize) -> Option<char> {
        self.text.get(offset..).and_then(|s| s.chars().next())
    }

    /// Skips whitespace and comments (reporting each comment).
    fn skip_trivia(&mut self) {
        loop {
            // Plain ASCII whitespace, a byte at a time.
            let bytes = self.text.as_bytes();
            while matches!(bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
            let Some(c) = self.peek_char() else { return };
            if matches!(
                c,
                ' ' | '\t' | '\n' | '\r' | '\u{FEFF}' | '\u{A0}' | '\u{3000}'
            ) {
                if c == '\u{A0}' || c == '\u{3000}' {
                    // Non-breaking and ideographic spaces come with copied text; JSON
                    // does not allow them between tokens.
                    let span = Span::new(self.pos, self.pos + c.len_utf8());
                    self.findings.push(
                        Finding::error(
                            "syntax/non-ascii-punctuation",
                            span,
                            "this space character is not allowed in JSON",
                        )
                        .with_fix(Fix::safe(
                            "replace it with a plain space",
                            vec![Edit::replace(span, " ")],
                        )),
                    );
                }
                self.pos += c.len_utf8();
                continue;
            }
            if c == '/' {
                let next = self.peek_char_at(self.pos + 1);
                if next == Some('/') {
                    let start = self.pos;
                    let end = self.text[start..]
                        .find('\n')
                        .map_or(self.text.len(), |i| start + i);
                    let end = if self.text[..end].ends_with('\r') {
                        end - 1
                    } else {
                        end
                    };
                    self.comment(Span::new(start, end));
                    self.pos = end;
                    continue;
                }
                if next == Some('*') {
                    let start = self.pos;
                    let (end, closed) = match self.text[start + 2..].find("*/") {
                        Some(i) => (start + 2 + i + 2, true),
                        None => (self.text.len(), false),
                    };
                    if closed {
                        self.comment(Span::new(start, end));
                    } else {
                        self.findings.push(Finding::error(
                            "syntax/comment",
                            Span::new(start, start + 2),
                            "unterminated comment; JSON policies cannot contain comments",
                        ));
                    }
                    self.pos = end;
                    continue;
                }
            }
            if c == '#' {
                let start = self.pos;
                let end = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i);
                self.comment(Span::new(start, end));
                self.pos = end;
                continue;
            }
            return;
        }
    }

    fn comment(&mut self, span: Span) {
        self.findings.push(
            Finding::error(
                "syntax/comment",
                span,
                "JSON policies cannot contain comments; AWS rejects the document",
            )
            .with_fix(Fix::safe("remove the comment", vec![Edit::delete(span)])),
        );
    }

    pub fn next_token(&mut self) -> Token {
        self.skip_trivia();
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Token {
                kind: TokenKind::Eof,
                span: Span::empty(self.text.len()),
            };
        };
        let single = |kind: TokenKind, lexer: &mut Lexer<'_>| {
            lexer.pos += 1;
            Token {
                kind,
                span: Span::new(start, start + 1),
            }
        };
        match c {
            '{' => single(TokenKind::LBrace, self),
            '}' => single(TokenKind::RBrace, self),
            '[' => single(TokenKind::LBracket, self),
            ']' => single(TokenKind::RBracket, self),
            ':' => single(TokenKind::Colon, self),
            ',' => single(TokenKind::Comma, self),
            '\u{FF1A}' | '\u{FF0C}' => {
                // Full-width colon and comma from Japanese input methods.
                let (kind, plain) = if c == '\u{FF1A}' {
                    (TokenKind::Colon, ":")
                } else {
                    (TokenKind::Comma, ",")
                };
                let span = Span::new(start, start + c.len_utf8());
                self.findings.push(
                    Finding::error(
                        "syntax/non-ascii-punctuation",
                        span,
                        format!("full-width `{c}` is not JSON punctuation"),
                    )
                    .with_fix(Fix::safe(
                        format!("replace it with `{plain}`"),
                        vec![Edit::replace(span, plain)],
                    )),
                );
                self.pos = span.end;
                Token { kind, span }
            }
            '"' | '\'' => self.string(c),
            c if is_typographic_quote(c) => self.string(c),
            '-' | '0'..='9' => self.number(),
            c if c.is_alphabetic() || c == '_' || c == '$' => self.word(),
            c => {
                self.pos += c.len_utf8();
                Token {
                    kind: TokenKind::Unknown(c),
                    span: Span::new(start, self.pos),
                }
            }
        }
    }

    fn word(&mut self) -> Token {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '-' | '.')))
            .map_or(rest.len(), |(i, _)| i);
        self.pos = start + len;
        Token {
            kind: TokenKind::Word(Str::slice(&self.src, start..start + len)),
            span: Span::new(start, self.pos),
        }
    }

    fn number(&mut self) -> Token {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .map_or(rest.len(), |(i, _)| i);
        let raw = &rest[..len];
        self.pos = start + len;
        let span = Span::new(start, self.pos);
        if !valid_json_number(raw) {
            self.findings.push(Finding::error(
                "syntax/invalid-number",
                span,
                format!("`{raw}` is not a valid JSON number"),
            ));
        }
        Token {
            kind: TokenKind::Number(Str::slice(&self.src, start..start + len)),
            span,
        }
    }

    /// Whether a typographic quote at `offset` ends the string: what follows it (after
    /// spaces) is JSON punctuation, a line end or the end of the text. Inside a string
    /// such as `it’s`, the quote is an apostrophe.
    fn closes_here(&self, offset: usize) -> bool {
        for c in self.text[offset..].chars() {
            match c {
                ' ' | '\t' => continue,
                ',' | ':' | '}' | ']' | '\n' | '\r' | '\u{FF0C}' | '\u{FF1A}' => return true,
                _ => return false,
            }
        }
        true
    }

    fn string(&mut self, open: char) -> Token {
        let start = self.pos;
        let open_span = Span::new(start, start + open.len_utf8());
        if open != '"' {
            self.bad_quote(open, open_span);
        }
        self.pos = open_span.end;
        // The common case: a straight-quoted string with nothing to decode is a range of
        // the text.
        if open == '"' {
            let rest = &self.text.as_bytes()[self.pos..];
            if let Some(run) = rest
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\'' | 0xE2) || b < 0x20)
            {
                if rest[run] == b'"' {
                    let value = Str::slice(&self.src, self.pos..self.pos + run);
                    self.pos += run + 1;
                    return Token {
                        kind: TokenKind::Str {
                            value,
                            terminated: true,
                        },
                        span: Span::new(start, self.pos),
                    };
                }
            }
        }
        let mut value = String::new();
        loop {
            // Fast path: copy the run of bytes that need no attention (everything but
            // quotes, backslashes, control characters and the lead byte 0xE2 of the
            // typographic quotes) in one go.
            let rest = &self.text.as_bytes()[self.pos..];
            let run = rest
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\'' | 0xE2) || b < 0x20)
                .unwrap_or(rest.len());
            if run > 0 {
                // The run ends before an ASCII byte or a lead byte, so on a boundary.
                value.push_str(self.text.get(self.pos..self.pos + run).unwrap_or(""));
                self.pos += run;
            }
            let Some(c) = self.peek_char() else {
                return self.unterminated(start, value);
            };
            let here = self.pos;
            match c {
                '"' if open == '"' || is_typographic_quote(open) => {
                    self.pos += 1;
                    return Token {
                        kind: TokenKind::Str {
                            value: value.into(),
                            terminated: true,
                        },
                        span: Span::new(start, self.pos),
                    };
                }
                '\'' if open == '\'' => {
                    self.pos += 1;
                    return Token {
                        kind: TokenKind::Str {
                            value: value.into(),
                            terminated: true,
                        },
                        span: Span::new(start, self.pos),
                    };
                }
                c if is_typographic_quote(c) && self.closes_here(here + c.len_utf8()) => {
                    let span = Span::new(here, here + c.len_utf8());
                    self.bad_quote(c, span);
                    self.pos = span.end;
                    return Token {
                        kind: TokenKind::Str {
                            value: value.into(),
                            terminated: true,
                        },
                        span: Span::new(start, self.pos),
                    };
                }
                '\n' | '\r' => return self.unterminated(start, value),
                '\\' => self.escape(&mut value),
                c if (c as u32) < 0x20 => {
                    let span = Span::new(here, here + 1);
                    let escaped = match c {
                        '\t' => "\\t".to_string(),
                        c => format!("\\u{:04x}", c as u32),
                    };
                    self.findings.push(
                        Finding::error(
                            "syntax/invalid-string",
                            span,
                            "control characters must be escaped in JSON strings",
                        )
                        .with_fix(Fix::safe(
                            format!("replace it with `{escaped}`"),
                            vec![Edit::replace(span, escaped)],
                        )),
                    );
                    value.push(c);
                    self.pos += 1;
                }
                c => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn bad_quote(&mut self, c: char, span: Span) {
        let (code, what) = if c == '\'' {
            (
                "syntax/typographic-quote",
                "single quotes do not delimit strings in JSON",
            )
        } else {
            (
                "syntax/typographic-quote",
                "typographic quote: JSON strings need straight double quotes",
            )
        };
        self.findings.push(
            Finding::error(code, span, format!("`{c}`: {what}")).with_fix(Fix::safe(
                "replace it with `\"`",
                vec![Edit::replace(span, "\"")],
            )),
        );
    }

    fn unterminated(&mut self, start: usize, value: String) -> Token {
        // The string ends where the line ends; the closing quote goes after the last
        // non-blank character of the line.
        let line_end = self.pos;
        let trimmed = self.text[start..line_end]
            .trim_end_matches([' ', '\t'])
            .len()
            + start;
        let span = Span::new(
            start,
            line_end.max(start + 1).min(self.text.len().max(start)),
        );
        self.findings.push(
            Finding::error(
                "syntax/unterminated-string",
                span,
                "unterminated string: the closing `\"` is missing",
            )
            .with_fix(Fix::unsafe_(
                "close the string at the end of the line",
                vec![Edit::insert(trimmed, "\"")],
            )),
        );
        let value = value.trim_end().to_string();
        Token {
            kind: TokenKind::Str {
                value: value.into(),
                terminated: false,
            },
            span: Span::new(start, line_end),
        }
    }

    fn escape(&mut self, value: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.peek_char() else { return };
        self.pos += c.len_utf8();
        match c {
            '"' => value.push('"'),
            '\\' => value.push('\\'),
            '/' => value.push('/'),
            'b' => value.push('\u{8}'),
            'f' => value.push('\u{c}'),
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            'u' => {
                let Some(first) = self.hex4() else {
                    self.invalid_escape(start);
                    return;
                };
                if (0xD800..0xDC00).contains(&first) && self.text[self.pos..].starts_with("\\u") {
                    let save = self.pos;
                    self.pos += 2;
                    if let Some(second) = self.hex4().filter(|s| (0xDC00..0xE000).contains(s)) {
                        let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        value.push(char::from_u32(combined).unwrap_or('\u{FFFD}'));
                        return;
                    }
                    self.pos = save;
                }
                value.push(char::from_u32(first).unwrap_or('\u{FFFD}'));
            }
            c => {
                self.invalid_escape(start);
                value.push(c);
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    fn invalid_escape(&mut self, start: usize) {
        let end = self.pos.min(self.text.len());
        let span = Span::new(start, end);
        let raw = self.text.get(start..end).unwrap_or("\\");
        self.findings.push(
            Finding::error(
                "syntax/invalid-string",
                span,
                format!("`{raw}` is not a valid JSON escape"),
            )
            .with_fix(Fix::unsafe_(
                "escape the backslash",
                vec![Edit::replace(Span::new(start, start + 1), "\\\\")],
            )),
        );
    }
}

fn valid_json_number(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == int_start || (b[int_start] == b'0' && i - int_start > 1) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        let mut lx = Lexer::new(text, Arc::from(text));
        let mut out = Vec::new();
        loop {
            let t = lx.next_token();
            if t.kind == TokenKind::Eof {
                return out;
            }
            out.push(t.kind);
        }
    }

    #[test]
    fn numbers() {
        for ok in ["0", "-1", "10.5", "1e10", "1.5E-3"] {
            assert!(valid_json_number(ok), "{ok}");
        }
        for bad in ["01", "-", "1.", "1e", "--1", "1.2.3"] {
            assert!(!valid_json_number(bad), "{bad}");
        }
    }

    #[test]
    fn typographic_quotes_delimit_strings_but_apostrophes_do_not() {
        let k = kinds("“Effect”: “it’s”");
        assert_eq!(
            k,
            vec![
                TokenKind::Str {
                    value: "Effect".into(),
                    terminated: true
                },
                TokenKind::Colon,
                TokenKind::Str {
                    value: "it’s".into(),
                    terminated: true
                },
            ]
        );
    }

    #[test]
    fn escapes_and_surrogates() {
        let k = kinds(r#""a\"b\u00e9\ud83d\ude00\n""#);
        assert_eq!(
            k,
            vec![TokenKind::Str {
                value: "a\"bé😀\n".into(),
                terminated: true
            }]
        );
    }
}
