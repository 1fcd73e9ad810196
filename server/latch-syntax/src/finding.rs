//! The one report type. Parsers, validators, workspace checks and the engine's explanations
//! all speak [`Finding`]; the CLI renderer, the LSP and the snapshot tests all read it, so
//! they can never disagree.

use std::sync::Arc;

use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// One text replacement. `path: None` means the file the finding is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub path: Option<Arc<str>>,
    pub range: Span,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: Span, new_text: impl Into<String>) -> Edit {
        Edit {
            path: None,
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(offset: usize, new_text: impl Into<String>) -> Edit {
        Edit::replace(Span::empty(offset), new_text)
    }

    pub fn delete(range: Span) -> Edit {
        Edit::replace(range, "")
    }

    pub fn in_file(mut self, path: Arc<str>) -> Edit {
        self.path = Some(path);
        self
    }
}

/// A repair: edits applied together, and whether applying it in bulk is safe (it cannot
/// change what the policy means beyond the obvious intent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            safe: true,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            safe: false,
            edits,
        }
    }
}

/// Another place that takes part in a finding. `path: None` means the finding's own file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub path: Option<Arc<str>>,
    pub range: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// A stable `area/kebab-name` code, e.g. `syntax/missing-comma` or `policy/invalid-effect`.
    pub code: &'static str,
    pub severity: Severity,
    /// Workspace-relative path of the file; empty until the workspace assigns it.
    pub path: Arc<str>,
    pub range: Span,
    /// The headline: one line of at most about 120 characters saying what is wrong and,
    /// for the cross-document checks, which statement blocks which requests in short form.
    /// Lower case, no final period, user input in backticks.
    pub message: String,
    /// The deciding reason, once (the condition that held, the layer that does not allow).
    pub why: Option<String>,
    /// What to do about it, in words (the fixes say it as edits).
    pub help: Option<String>,
    /// Other facts a reader needs: other policies that also deny, what an uncertain
    /// finding assumes.
    pub notes: Vec<String>,
    /// The engine's whole trace of the first request the finding names (every policy and
    /// statement considered), for `latch check -v`, JSON, SARIF and hovers; never part of
    /// the headline.
    pub trace: Option<String>,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn new(
        code: &'static str,
        severity: Severity,
        range: Span,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            severity,
            path: Arc::from(""),
            range,
            message: message.into(),
            why: None,
            help: None,
            notes: Vec::new(),
            trace: None,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn error(code: &'static str, range: Span, message: impl Into<String>) -> Finding {
        Finding::new(code, Severity::Error, range, message)
    }

    pub fn warning(code: &'static str, range: Span, message: impl Into<String>) -> Finding {
        Finding::new(code, Severity::Warning, range, message)
    }

    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fixes.push(fix);
        self
    }

    pub fn with_related(mut self, related: Related) -> Finding {
        self.related.push(related);
        self
    }

    /// The headline: the message's first line.
    pub fn headline(&self) -> &str {
        self.message.lines().next().unwrap_or_default()
    }

    /// The engine's trace, if the finding has one.
    pub fn detail(&self) -> Option<&str> {
        self.trace
            .as_deref()
            .map(str::trim_end)
            .filter(|d| !d.is_empty())
    }

    /// The headline and the reason, as an editor shows a diagnostic.
    pub fn headline_and_why(&self) -> String {
        match &self.why {
            Some(w) => format!("{}\nwhy: {w}", self.headline()),
            None => self.headline().to_string(),
        }
    }
}

/// Applies edits to `text`. Edits must not overlap; they are applied from the end so that
/// earlier offsets stay valid. Out-of-range or non-boundary edits are skipped rather than
/// panicking, and the count of skipped edits is returned.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by(|a, b| {
        b.range
            .start
            .cmp(&a.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut out = text.to_string();
    let mut skipped = 0;
    let mut limit = usize::MAX;
    for e in sorted {
        let r = e.range;
        if r.start > r.end
            || r.end > out.len()
            || r.end > limit
            || !out.is_char_boundary(r.start)
            || !out.is_char_boundary(r.end)
        {
            skipped += 1;
            continue;
        }
        out.replace_range(r.range(), &e.new_text);
        limit = r.start;
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_from_the_end() {
        let a = Edit::insert(1, ",");
        let b = Edit::replace(Span::new(3, 4), "X");
        let (out, skipped) = apply_edits("abcd", &[&a, &b]);
        assert_eq!(out, "a,bcX");
        assert_eq!(skipped, 0);
    }

    #[test]
    fn bad_edits_are_skipped() {
        let a = Edit::insert(100, "x");
        let b = Edit::replace(Span::new(1, 2), "y");
        let (out, skipped) = apply_edits("é", &[&a, &b]);
        assert_eq!(out, "é");
        assert_eq!(skipped, 2);
    }
}
