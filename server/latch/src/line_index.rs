//! The one place where byte offsets become lines and columns and back. Everything inside
//! Latch is byte offsets; the LSP speaks UTF-16 (or UTF-8 when the client offers it) and
//! the CLI prints Unicode scalar values. Conversions clamp to the line and snap to
//! character boundaries, so no client position can panic the server.

use line_index::{LineCol, TextSize, WideEncoding, WideLineCol};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP default).
    Utf16,
    /// Unicode scalar values (CLI columns, LSP `utf-32`).
    Utf32,
}

pub struct LineIndex {
    inner: line_index::LineIndex,
    len: usize,
}

fn size(n: usize) -> TextSize {
    TextSize::from(u32::try_from(n).unwrap_or(u32::MAX))
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            inner: line_index::LineIndex::new(text),
            len: text.len(),
        }
    }

    /// The 0-based line and column of a byte offset (clamped into the text and snapped
    /// back to a character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> (u32, u32) {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let Some(lc) = self.inner.try_line_col(size(offset)) else {
            return (0, 0);
        };
        let col = match enc {
            Encoding::Utf8 => lc.col,
            Encoding::Utf16 => self
                .inner
                .to_wide(WideEncoding::Utf16, lc)
                .map_or(lc.col, |w| w.col),
            Encoding::Utf32 => self
                .inner
                .to_wide(WideEncoding::Utf32, lc)
                .map_or(lc.col, |w| w.col),
        };
        (lc.line, col)
    }

    /// The byte range of line `line` without its line break (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let r = self.inner.line(line)?;
        let start = usize::from(r.start());
        let mut end = usize::from(r.end()).min(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(start..end)
    }

    /// The byte offset of a 0-based line and column. Lines past the end give the end of
    /// the text; columns past the end of the line give the end of the line; a column in
    /// the middle of a character (a surrogate pair) snaps to the character's start.
    pub fn offset(&self, text: &str, line: u32, col: u32, enc: Encoding) -> usize {
        let Some(range) = self.line_range(text, line) else {
            return self.len;
        };
        let byte_col = match enc {
            Encoding::Utf8 => col,
            Encoding::Utf16 => self
                .inner
                .to_utf8(WideEncoding::Utf16, WideLineCol { line, col })
                .map_or(u32::MAX, |lc: LineCol| lc.col),
            Encoding::Utf32 => self
                .inner
                .to_utf8(WideEncoding::Utf32, WideLineCol { line, col })
                .map_or(u32::MAX, |lc: LineCol| lc.col),
        };
        let mut offset = range.start.saturating_add(byte_col as usize).min(range.end);
        while offset > range.start && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_emoji_and_crlf() {
        let text = "{\r\n\"Sid\": \"読み😀\", x\r\n}";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x, Encoding::Utf16), (1, 15));
        assert_eq!(idx.position(text, x, Encoding::Utf32), (1, 14));
        assert_eq!(idx.position(text, x, Encoding::Utf8), (1, 21));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let (l, c) = idx.position(text, x, enc);
            assert_eq!(idx.offset(text, l, c, enc), x);
        }
    }

    #[test]
    fn clamping_and_surrogate_halves() {
        let text = "ab😀cd\nxy";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, 0, 200, Encoding::Utf16), 8);
        assert_eq!(idx.offset(text, 9, 0, Encoding::Utf16), text.len());
        // UTF-16 column 3 is inside the emoji's surrogate pair.
        let o = idx.offset(text, 0, 3, Encoding::Utf16);
        assert!(text.is_char_boundary(o));
        assert_eq!(idx.position(text, 999, Encoding::Utf16), (1, 2));
        // An offset inside a multi-byte character snaps back.
        assert_eq!(idx.position(text, 3, Encoding::Utf16), (0, 2));
    }
}
