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
use crate::text::words::{HIGHS, first_marked, splat, word_at, zero_bytes};

/// What a token is, without its text: cheap to copy while looking ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    /// A string literal; its value is [`Token::inner`] or, when `decoded`, the string the
    /// lexer decoded ([`Lexer::text_of`]). An unterminated string (one that ran into a line
    /// end or the end of the text) is reported by the lexer and still a string.
    Str,
    Number,
    /// A bare word: `true`, `false`, `null`, or something that should have been quoted.
    Word,
    /// A character that cannot start any token.
    Unknown(char),
    Eof,
}

/// A token: its class and where it is. No text is copied or shared until the parser asks
/// for a token's value ([`Lexer::text_of`]).
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub class: Class,
    pub span: Span,
    /// The range of the value in the text: a string's contents between its quotes, a
    /// number or word whole. Unused when `decoded`.
    pub inner: Span,
    /// The string's value differs from its text (escapes resolved, or trimmed at the line
    /// end); the lexer holds it until the next token.
    pub decoded: bool,
}

impl Token {
    fn new(class: Class, span: Span) -> Token {
        Token {
            class,
            span,
            inner: span,
            decoded: false,
        }
    }
}

pub struct Lexer<'a> {
    text: &'a str,
    /// The same text, shared by every value that needs no decoding.
    src: Arc<str>,
    pos: usize,
    /// The value of the last string token when it is `decoded`.
    decoded: Str,
    pub findings: Vec<Finding>,
}

/// The offset of the first byte at or after `pos` that is not a space, tab or line end.
pub(crate) fn skip_blanks(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        match bytes.get(pos) {
            Some(b'\n' | b'\r' | b'\t') => pos += 1,
            Some(b' ') => {
                // Indentation: eight spaces at a time.
                pos += 1;
                while let Some(w) = word_at(bytes, pos) {
                    let other = w ^ splat(b' ');
                    if other != 0 {
                        pos += first_marked(other);
                        break;
                    }
                    pos += 8;
                }
            }
            _ => return pos,
        }
    }
}

/// The length of the run of ASCII bytes from `pos` that a straight-quoted string's
/// contents can skip over: it ends at a `"`, a backslash, a control character or any byte
/// beyond ASCII (the fast path looks at those one character at a time).
pub(crate) fn ascii_run(bytes: &[u8], pos: usize) -> usize {
    let mut at = pos;
    while let Some(w) = word_at(bytes, at) {
        let found = zero_bytes(w ^ splat(b'"'))
            | zero_bytes(w ^ splat(b'\\'))
            // Below 0x20 (those borrow when 0x20 is taken away), or from 0x80.
            | ((w.wrapping_sub(splat(0x20)) | w) & HIGHS);
        if found != 0 {
            return at + first_marked(found) - pos;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\\') || !(0x20..0x80).contains(&b))
        .unwrap_or(rest.len())
        - pos
}

/// The length of the run of bytes from `pos` that a string's contents can skip over:
/// everything but quotes, backslashes, control characters and 0xE2, the lead byte of the
/// typographic quotes. The run ends before an ASCII byte or a lead byte, so on a
/// character boundary.
pub(crate) fn plain_run(bytes: &[u8], pos: usize) -> usize {
    let stops = |b: u8| matches!(b, b'"' | b'\\' | b'\'' | 0xE2) || b < 0x20;
    let mut at = pos;
    while let Some(w) = word_at(bytes, at) {
        let found = zero_bytes(w ^ splat(b'"'))
            | zero_bytes(w ^ splat(b'\\'))
            | zero_bytes(w ^ splat(b'\''))
            | zero_bytes(w ^ splat(0xE2))
            // Bytes below 0x20: those that borrow when 0x20 is taken away.
            | (w.wrapping_sub(splat(0x20)) & !w & HIGHS);
        if found != 0 {
            return at + first_marked(found) - pos;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|&b| stops(b)).unwrap_or(rest.len()) - pos
}

/// The length of the number from `pos`, as the lexer reads it: the run of digits, signs,
/// `.`, `e` and `E` (whether it is a valid JSON number is checked afterwards).
#[inline]
pub(crate) fn number_len(bytes: &[u8], pos: usize) -> usize {
    let rest = bytes.get(pos..).unwrap_or_default();
    rest.iter()
        .position(|&b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
        .unwrap_or(rest.len())
}

/// The length of the run of ASCII bytes from `pos` that continue a bare word: letters,
/// digits, `_`, `$`, `-` and `.` (a letter beyond ASCII also continues it).
#[inline]
pub(crate) fn ascii_word_len(bytes: &[u8], pos: usize) -> usize {
    let rest = bytes.get(pos..).unwrap_or_default();
    rest.iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-' | b'.')))
        .unwrap_or(rest.len())
}

const LEFT_DOUBLE: char = '\u{201C}';
const RIGHT_DOUBLE: char = '\u{201D}';
const LEFT_SINGLE: char = '\u{2018}';
const RIGHT_SINGLE: char = '\u{2019}';

pub(crate) fn is_typographic_quote(c: char) -> bool {
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
            decoded: Str::new(),
            findings: Vec::new(),
        }
    }

    /// The value of a string, number or word token: a range of the shared text, or the
    /// decoded string. Call it at most once per token, before the next token is read.
    pub fn text_of(&mut self, tok: &Token) -> Str {
        if tok.decoded {
            std::mem::take(&mut self.decoded)
        } else {
            Str::slice_or_word(&self.src, tok.inner.range())
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
        // The common case, plain JSON: ASCII whitespace, then an ASCII byte that starts a
        // token. Comments and anything outside ASCII take the general path.
        let bytes = self.text.as_bytes();
        let pos = skip_blanks(bytes, self.pos);
        self.pos = pos;
        let single = |class: Class, lexer: &mut Lexer<'_>| {
            lexer.pos = pos + 1;
            Token::new(class, Span::new(pos, pos + 1))
        };
        match bytes.get(pos) {
            None => Token::new(Class::Eof, Span::empty(self.text.len())),
            Some(b'"') => self.string('"'),
            Some(b'{') => single(Class::LBrace, self),
            Some(b'}') => single(Class::RBrace, self),
            Some(b'[') => single(Class::LBracket, self),
            Some(b']') => single(Class::RBracket, self),
            Some(b':') => single(Class::Colon, self),
            Some(b',') => single(Class::Comma, self),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'/' | b'#' | 0x80..) => {
                self.skip_trivia();
                self.general_token()
            }
            Some(b'\'') => self.string('\''),
            Some(&b) if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => self.word(),
            Some(&b) => single(Class::Unknown(char::from(b)), self),
        }
    }

    /// The token at the current position, whatever its first character.
    fn general_token(&mut self) -> Token {
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Token::new(Class::Eof, Span::empty(self.text.len()));
        };
        let single = |class: Class, lexer: &mut Lexer<'_>| {
            lexer.pos += 1;
            Token::new(class, Span::new(start, start + 1))
        };
        match c {
            '{' => single(Class::LBrace, self),
            '}' => single(Class::RBrace, self),
            '[' => single(Class::LBracket, self),
            ']' => single(Class::RBracket, self),
            ':' => single(Class::Colon, self),
            ',' => single(Class::Comma, self),
            '\u{FF1A}' | '\u{FF0C}' => {
                // Full-width colon and comma from Japanese input methods.
                let (class, plain) = if c == '\u{FF1A}' {
                    (Class::Colon, ":")
                } else {
                    (Class::Comma, ",")
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
                Token::new(class, span)
            }
            '"' | '\'' => self.string(c),
            c if is_typographic_quote(c) => self.string(c),
            '-' | '0'..='9' => self.number(),
            c if c.is_alphabetic() || c == '_' || c == '$' => self.word(),
            c => {
                self.pos += c.len_utf8();
                Token::new(Class::Unknown(c), Span::new(start, self.pos))
            }
        }
    }

    fn word(&mut self) -> Token {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut len = ascii_word_len(bytes, start);
        if bytes.get(start + len).is_some_and(|b| !b.is_ascii()) {
            // Letters beyond ASCII: the rest a character at a time.
            let tail = self.text.get(start + len..).unwrap_or("");
            len += tail
                .char_indices()
                .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '-' | '.')))
                .map_or(tail.len(), |(i, _)| i);
        }
        self.pos = start + len;
        Token::new(Class::Word, Span::new(start, self.pos))
    }

    fn number(&mut self) -> Token {
        let start = self.pos;
        self.pos = start + number_len(self.text.as_bytes(), start);
        let span = Span::new(start, self.pos);
        let raw = self.text.get(span.range()).unwrap_or("");
        if !valid_json_number(raw) {
            self.findings.push(Finding::error(
                "syntax/invalid-number",
                span,
                format!("`{raw}` is not a valid JSON number"),
            ));
        }
        Token::new(Class::Number, span)
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

    /// A string opened by `open` at the current position. Its value stays a range of the
    /// text until something in it needs decoding (an escape); only then is it copied.
    fn string(&mut self, open: char) -> Token {
        let text = self.text;
        let start = self.pos;
        let open_span = Span::new(start, start + open.len_utf8());
        if open != '"' {
            self.bad_quote(open, open_span);
        }
        self.pos = open_span.end;
        let contents = self.pos;
        // The decoded value, once it differs from the text.
        let mut owned: Option<String> = None;
        loop {
            // Skip (or copy) the run of bytes that need no attention in one go. The run
            // ends before an ASCII byte or a lead byte, so on a character boundary.
            let run = plain_run(text.as_bytes(), self.pos);
            if run > 0 {
                if let Some(v) = owned.as_mut() {
                    v.push_str(text.get(self.pos..self.pos + run).unwrap_or(""));
                }
                self.pos += run;
            }
            let Some(c) = self.peek_char() else {
                return self.unterminated(start, contents, owned);
            };
            let here = self.pos;
            match c {
                '"' if open == '"' || is_typographic_quote(open) => {
                    self.pos += 1;
                    return self.string_token(start, contents, here, owned);
                }
                '\'' if open == '\'' => {
                    self.pos += 1;
                    return self.string_token(start, contents, here, owned);
                }
                c if is_typographic_quote(c) && self.closes_here(here + c.len_utf8()) => {
                    let span = Span::new(here, here + c.len_utf8());
                    self.bad_quote(c, span);
                    self.pos = span.end;
                    return self.string_token(start, contents, here, owned);
                }
                '\n' | '\r' => return self.unterminated(start, contents, owned),
                '\\' => {
                    let v = owned
                        .get_or_insert_with(|| text.get(contents..here).unwrap_or("").to_string());
                    self.escape(v);
                }
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
                    // The character itself is the value, as written.
                    if let Some(v) = owned.as_mut() {
                        v.push(c);
                    }
                    self.pos += 1;
                }
                c => {
                    if let Some(v) = owned.as_mut() {
                        v.push(c);
                    }
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// The token of a string from `start` to the current position whose value is
    /// `text[contents..value_end]`, or `owned` when it had to be decoded.
    fn string_token(
        &mut self,
        start: usize,
        contents: usize,
        value_end: usize,
        owned: Option<String>,
    ) -> Token {
        let span = Span::new(start, self.pos);
        match owned {
            None => Token {
                class: Class::Str,
                span,
                inner: Span::new(contents, value_end),
                decoded: false,
            },
            Some(v) => {
                self.decoded = Str::from(v);
                Token {
                    class: Class::Str,
                    span,
                    inner: Span::new(contents, value_end),
                    decoded: true,
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

    fn unterminated(&mut self, start: usize, contents: usize, owned: Option<String>) -> Token {
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
        // The value, without the blanks before the line end.
        let owned = owned.map(|v| v.trim_end().to_string());
        let value_end = match &owned {
            Some(_) => line_end,
            None => {
                contents
                    + self
                        .text
                        .get(contents..line_end)
                        .unwrap_or("")
                        .trim_end()
                        .len()
            }
        };
        let tok = self.string_token(start, contents, value_end, owned);
        Token {
            span: Span::new(start, line_end),
            ..tok
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

pub(crate) fn valid_json_number(raw: &str) -> bool {
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

    /// Each token's class and value (empty for punctuation), and the lexer's findings.
    fn lex(text: &str) -> (Vec<(Class, String)>, Vec<&'static str>) {
        let mut lx = Lexer::new(text, Arc::from(text));
        let mut out = Vec::new();
        loop {
            let t = lx.next_token();
            match t.class {
                Class::Eof => {
                    assert_eq!(t.span, Span::empty(text.len()));
                    return (out, lx.findings.iter().map(|f| f.code).collect());
                }
                Class::Str | Class::Number | Class::Word => {
                    out.push((t.class, lx.text_of(&t).to_string()))
                }
                c => out.push((c, String::new())),
            }
        }
    }

    fn kinds(text: &str) -> Vec<(Class, String)> {
        lex(text).0
    }

    fn s(v: &str) -> (Class, String) {
        (Class::Str, v.to_string())
    }

    #[test]
    fn word_at_a_time_scans_stop_where_a_byte_at_a_time_scan_does() {
        let stops = |b: u8| matches!(b, b'"' | b'\\' | b'\'' | 0xE2) || b < 0x20;
        for b in 0..=255u8 {
            for at in 0..20 {
                for filler in [b'a', b' ', 0x80, 0xFF, 0x21, 0xE3] {
                    let mut bytes = vec![filler; 24];
                    bytes[at] = b;
                    for pos in [0, 1, 7, 9] {
                        let naive = bytes[pos..]
                            .iter()
                            .position(|&b| stops(b))
                            .unwrap_or(bytes.len() - pos);
                        assert_eq!(plain_run(&bytes, pos), naive, "{b:#x} at {at} from {pos}");
                        let naive_ascii = bytes[pos..]
                            .iter()
                            .position(|&b| matches!(b, b'"' | b'\\') || !(0x20..0x80).contains(&b))
                            .unwrap_or(bytes.len() - pos);
                        assert_eq!(
                            ascii_run(&bytes, pos),
                            naive_ascii,
                            "{b:#x} at {at} from {pos}"
                        );
                        let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
                        let naive = bytes[pos..]
                            .iter()
                            .position(|b| !blank(b))
                            .map_or(bytes.len(), |i| pos + i);
                        assert_eq!(skip_blanks(&bytes, pos), naive, "{b:#x} at {at} from {pos}");
                    }
                }
            }
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
        assert_eq!(
            lex("-1.5e+3,01"),
            (
                vec![
                    (Class::Number, "-1.5e+3".to_string()),
                    (Class::Comma, String::new()),
                    (Class::Number, "01".to_string())
                ],
                vec!["syntax/invalid-number"]
            )
        );
    }

    #[test]
    fn typographic_quotes_delimit_strings_but_apostrophes_do_not() {
        let k = kinds("“Effect”: “it’s”");
        assert_eq!(
            k,
            vec![s("Effect"), (Class::Colon, String::new()), s("it’s")]
        );
    }

    #[test]
    fn escapes_and_surrogates() {
        let k = kinds(r#""a\"b\u00e9\ud83d\ude00\n""#);
        assert_eq!(k, vec![s("a\"bé😀\n")]);
    }

    #[test]
    fn plain_strings_are_ranges_of_the_text_and_decoded_ones_are_not() {
        let text = "[\"公開😀 it's – ok\", \"a\\tb\", 'x\"y', \"\u{1}\"]";
        let mut lx = Lexer::new(text, Arc::from(text));
        let mut strings = Vec::new();
        loop {
            let t = lx.next_token();
            match t.class {
                Class::Eof => break,
                Class::Str => strings.push((t.decoded, &text[t.span.range()], lx.text_of(&t))),
                _ => {}
            }
        }
        assert_eq!(
            strings,
            vec![
                (false, "\"公開😀 it's – ok\"", Str::from("公開😀 it's – ok")),
                (true, "\"a\\tb\"", Str::from("a\tb")),
                (false, "'x\"y'", Str::from("x\"y")),
                (false, "\"\u{1}\"", Str::from("\u{1}")),
            ]
        );
        assert_eq!(
            lx.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            vec!["syntax/typographic-quote", "syntax/invalid-string"]
        );
    }

    #[test]
    fn unterminated_strings_end_at_the_line_end_without_trailing_blanks() {
        assert_eq!(
            lex("\"abc  \n\"d\\tx  \r\n\"é"),
            (
                vec![s("abc"), s("d\tx"), s("é")],
                vec![
                    "syntax/unterminated-string",
                    "syntax/unterminated-string",
                    "syntax/unterminated-string"
                ]
            )
        );
        let mut lx = Lexer::new("\"ab \n", Arc::from("\"ab \n"));
        assert_eq!(lx.next_token().span, Span::new(0, 4));
    }

    #[test]
    fn invalid_escapes_keep_the_character_and_are_reported() {
        assert_eq!(
            lex(r#""\q\u12" "\"#),
            (
                vec![s("q12"), s("")],
                vec![
                    "syntax/invalid-string",
                    "syntax/invalid-string",
                    "syntax/unterminated-string"
                ]
            )
        );
    }

    #[test]
    fn words_numbers_and_punctuation_beyond_ascii() {
        assert_eq!(
            kinds("\u{FEFF}{漢字_x-1.y：$z，tRue}@\u{A0}/*c*/#d\n//e\n"),
            vec![
                (Class::LBrace, String::new()),
                (Class::Word, "漢字_x-1.y".to_string()),
                (Class::Colon, String::new()),
                (Class::Word, "$z".to_string()),
                (Class::Comma, String::new()),
                (Class::Word, "tRue".to_string()),
                (Class::RBrace, String::new()),
                (Class::Unknown('@'), String::new()),
            ]
        );
    }
}
