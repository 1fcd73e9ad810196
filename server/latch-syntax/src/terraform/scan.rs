//! Splits a `.tf` file into its top-level constructs without parsing them, so that each one
//! can be parsed on its own and one half-typed block does not hide the rest of the file.
//!
//! The scanner knows just enough HCL to find where a top-level block ends: comments, quoted
//! strings with `${...}` interpolations, heredocs and bracket nesting. When a line inside an
//! unclosed block starts at column 0 with a top-level keyword (`resource "..."`), the
//! unclosed block is cut there: that is almost always where the author meant it to end.

use crate::span::Span;

/// Keywords that start a top-level block in a Terraform configuration.
const TOP_LEVEL: &[&str] = &[
    "resource",
    "data",
    "module",
    "variable",
    "output",
    "locals",
    "provider",
    "terraform",
    "moved",
    "import",
    "check",
    "removed",
];

#[derive(Clone, Debug, PartialEq)]
enum Ctx {
    /// Inside `{`, `[` or `(`.
    Bracket,
    /// Inside `${ ... }` or `%{ ... }` of a string or heredoc.
    Interp,
    Str,
    Heredoc(String),
}

/// The byte ranges of the top-level constructs of `text`, in order. Comments and blank
/// lines between them are not part of any range. Never fails; ranges are on char
/// boundaries and within `text`.
pub fn split_top_level(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut chunks = Vec::new();
    let mut stack: Vec<Ctx> = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        let at_line_start = line_start;
        line_start = false;
        match stack.last() {
            Some(Ctx::Str) => {
                match c {
                    b'\\' => i += 1,
                    b'"' => {
                        stack.pop();
                    }
                    b'\n' => {
                        // Quoted strings cannot span lines: treat the line end as the end of
                        // an unterminated string and go on.
                        stack.pop();
                        line_start = true;
                        if stack.is_empty() {
                            if let Some(s) = start.take() {
                                chunks.push(Span::new(s, i));
                            }
                        }
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => {
                        i += 2;
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(Ctx::Interp);
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            Some(Ctx::Heredoc(delim)) => {
                if at_line_start {
                    let end = memchr_newline(b, i);
                    if text.get(i..end).map(str::trim) == Some(delim.as_str()) {
                        stack.pop();
                        i = end;
                        if stack.is_empty() {
                            if let Some(s) = start.take() {
                                chunks.push(Span::new(s, i));
                            }
                        }
                        continue;
                    }
                }
                match c {
                    b'\n' => line_start = true,
                    b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => {
                        i += 2;
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(Ctx::Interp);
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        // Code: top level, brackets or an interpolation.
        if at_line_start
            && !stack.is_empty()
            && starts_top_level_block(text, i)
            && stack.iter().all(|c| *c == Ctx::Bracket)
        {
            if let Some(s) = start.take() {
                chunks.push(Span::new(s, trim_end(text, s, i)));
            }
            stack.clear();
        }
        match c {
            b'\n' => {
                line_start = true;
                if stack.is_empty() {
                    if let Some(s) = start.take() {
                        chunks.push(Span::new(s, trim_end(text, s, i)));
                    }
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = memchr_newline(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr_newline(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = match text.get(i + 2..).and_then(|t| t.find("*/")) {
                    Some(p) => i + 2 + p + 2,
                    None => b.len(),
                };
                continue;
            }
            _ => {}
        }
        if start.is_none() {
            start = Some(i);
        }
        match c {
            b'"' => stack.push(Ctx::Str),
            b'{' | b'[' | b'(' => stack.push(Ctx::Bracket),
            b'}' | b']' | b')' => {
                stack.pop();
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                if let Some((delim, body)) = heredoc_header(text, i) {
                    stack.push(Ctx::Heredoc(delim));
                    i = body;
                    line_start = true;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        chunks.push(Span::new(s, trim_end(text, s, b.len())));
    }
    chunks
}

/// The end of the line that holds `i` (the offset of its `\n`, or the text length).
fn memchr_newline(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

/// `end` moved back over trailing whitespace, but not before `start`.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    let slice = text.get(start..end).unwrap_or("");
    start + slice.trim_end().len()
}

/// Whether a line starting at `i` begins with a top-level keyword followed by a label or a
/// brace, e.g. `resource "aws_s3_bucket" "b" {` or `locals {`.
fn starts_top_level_block(text: &str, i: usize) -> bool {
    let Some(rest) = text.get(i..) else {
        return false;
    };
    TOP_LEVEL.iter().any(|kw| {
        rest.strip_prefix(kw).is_some_and(|after| {
            let after = after.trim_start_matches([' ', '\t']);
            after.starts_with('"') || after.starts_with('{')
        })
    })
}

/// Reads `<<ID` or `<<-ID` followed by a line end at `i`; returns the delimiter and the
/// offset of the first byte of the heredoc's body.
fn heredoc_header(text: &str, i: usize) -> Option<(String, usize)> {
    let rest = text.get(i + 2..)?;
    let rest_trimmed = rest.strip_prefix('-').unwrap_or(rest);
    let skipped = rest.len() - rest_trimmed.len();
    let ident_len = rest_trimmed
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        .count();
    if ident_len == 0 {
        return None;
    }
    let after = &rest_trimmed[ident_len..];
    let line_end = after.trim_start_matches([' ', '\t', '\r']);
    if !line_end.starts_with('\n') {
        return None;
    }
    let body = i + 2 + skipped + ident_len + (after.len() - line_end.len()) + 1;
    Some((rest_trimmed[..ident_len].to_string(), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str) -> Vec<&str> {
        split_top_level(text)
            .into_iter()
            .map(|s| &text[s.range()])
            .collect()
    }

    #[test]
    fn splits_blocks_and_skips_comments() {
        let text = "# lead\nresource \"a\" \"b\" {\n  x = \"}\" # }\n  y = <<EOT\n}\nEOT\n}\n\n/* } */\nlocals {\n  z = \"${foo(\"}\")}\"\n}\n";
        assert_eq!(
            chunks(text),
            vec![
                "resource \"a\" \"b\" {\n  x = \"}\" # }\n  y = <<EOT\n}\nEOT\n}",
                "locals {\n  z = \"${foo(\"}\")}\"\n}",
            ]
        );
    }

    #[test]
    fn an_unclosed_block_ends_at_the_next_top_level_keyword() {
        let text = "resource \"a\" \"b\" {\n  x = jsonencode({\n\nresource \"c\" \"d\" {\n}\n";
        assert_eq!(
            chunks(text),
            vec![
                "resource \"a\" \"b\" {\n  x = jsonencode({",
                "resource \"c\" \"d\" {\n}",
            ]
        );
    }

    #[test]
    fn indented_heredoc_closes_on_a_trimmed_line() {
        let text = "locals {\n  p = <<-EOT\n    {}\n    EOT\n}\noutput \"o\" {}\n";
        assert_eq!(chunks(text).len(), 2);
    }
}
