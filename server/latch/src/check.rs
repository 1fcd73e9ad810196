//! `latch check`: analyse files or workspace folders and print the findings, for people
//! (source line and caret, in the style of rustc and ruff, then `why`, notes, related
//! places, `help` and fixes; `-v` adds every related place and the engine's trace; or
//! `--format concise`, one line a finding) or machines (JSON, SARIF, GitHub workflow
//! annotations). `--fix` applies the safe fixes and lists them; `--diff`
//! prints them as a unified diff without writing; `--write-baseline` and `--baseline`
//! record today's findings and report only new ones; `--fail-on` and `--exit-zero` decide
//! the exit code. Human output is coloured (the severity word and the code) when standard
//! output is a terminal and `NO_COLOR` is unset, or with `--color always`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use latch_ide::suppress::Fingerprinter;
use latch_ide::workspace::{Analysis, ReadCounts};
use latch_syntax::{Finding, Severity};
use serde_json::json;

use crate::line_index::{Encoding, LineIndex};
use crate::loader::{Loaded, Select, load_root, locate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    /// One line per finding: `path:line:column: severity[code] headline`.
    Concise,
    Json,
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
}

/// When human output is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, given whether stdout is a terminal and the `NO_COLOR` value.
    pub fn enabled(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

/// The lowest severity that makes `latch check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Hint => Severity::Hint,
        }
    }
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or workspace folders (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Apply the safe fixes to the files, list them, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Print the safe fixes as a unified diff, without writing (exit 1 when there is one).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Colour the severity and code of human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Report only the findings that are not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every finding in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Exit 1 when a finding of this severity or higher is reported.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Exit 0 whatever is found (2 still means a usage error).
    #[arg(long)]
    pub exit_zero: bool,
    /// Human output: print every related place and the engine's whole trace under each
    /// finding.
    #[arg(short, long)]
    pub verbose: bool,
}

/// One analysed root: the loaded workspace, and the findings to report with their
/// fingerprints.
struct Checked {
    loaded: Loaded,
    shown: Vec<(Finding, String)>,
}

impl Checked {
    /// The path to print for a workspace-relative path.
    fn display_path(&self, rel: &str) -> String {
        display_path(&self.loaded.root, rel)
    }

    fn text(&self, rel: &str) -> &str {
        self.loaded.workspace.text(rel).unwrap_or("")
    }

    fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.shown.iter().map(|(f, _)| f)
    }

    /// The findings of the files that were asked for, with their fingerprints when
    /// `fingerprints` (empty otherwise: only baselines and SARIF read them).
    fn new(loaded: Loaded, analysis: &Analysis, fingerprints: bool) -> Checked {
        let mut fp = Fingerprinter::new(&loaded.workspace);
        let asked: HashSet<&str> = loaded.files.iter().map(String::as_str).collect();
        let shown = analysis
            .findings
            .iter()
            .filter(|(p, _)| asked.contains(&***p))
            .flat_map(|(_, f)| f)
            .map(|f| {
                let print = if fingerprints {
                    fp.of(f)
                } else {
                    String::new()
                };
                (f.clone(), print)
            })
            .collect();
        Checked { loaded, shown }
    }
}

/// The baseline file: the fingerprints of the findings it accepts, with enough context
/// for a reviewer to read it.
fn read_baseline(path: &Path) -> Result<HashMap<String, usize>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let list = v
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or("no `findings` array")?;
    let mut counts = HashMap::new();
    for f in list {
        let fp = f
            .get("fingerprint")
            .and_then(|x| x.as_str())
            .ok_or("a finding without `fingerprint`")?;
        *counts.entry(fp.to_string()).or_insert(0) += 1;
    }
    Ok(counts)
}

fn baseline_json(checked: &[Checked]) -> serde_json::Value {
    let mut rows: Vec<serde_json::Value> = checked
        .iter()
        .flat_map(|c| {
            c.shown.iter().map(|(f, fp)| {
                json!({"fingerprint": fp, "code": f.code, "path": &*f.path, "message": f.headline()})
            })
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            r["path"].as_str().map(str::to_string),
            r["code"].as_str().map(str::to_string),
            r["fingerprint"].as_str().map(str::to_string),
        )
    });
    json!({"version": 1, "tool": "latch", "findings": rows})
}

pub fn run(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let baseline = match &args.baseline {
        Some(p) => match read_baseline(p) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: cannot read the baseline `{}`: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let groups = match workspaces(&paths) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let mut checked = Vec::new();
    let mut diffs = String::new();
    let mut applied: Vec<(String, String)> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for group in groups {
        let selects: Vec<Select> = group.args.iter().map(|(_, s)| s.clone()).collect();
        let mut loaded = load_root(&group.root, &selects);
        // Nothing in a check walks Terraform blocks after the analysis (no navigation).
        loaded.workspace.drop_terraform_syntax();
        for (arg, select) in &group.args {
            if let Select::Folder(_) = select {
                let under: Vec<String> = loaded
                    .files
                    .iter()
                    .filter(|f| select.covers(f))
                    .cloned()
                    .collect();
                if loaded.workspace.read_counts(&under).files == 0 {
                    eprintln!(
                        "error: `{}` holds no policy, Terraform file or `latch.toml`",
                        arg.display()
                    );
                    return ExitCode::from(2);
                }
            }
        }
        // A file that two arguments reach through different roots is reported once.
        loaded.files.retain(|f| seen.insert(group.root_abs.join(f)));
        {
            if args.fix || args.diff {
                let before: Vec<(String, String)> = loaded
                    .files
                    .iter()
                    .filter_map(|f| Some((f.clone(), loaded.workspace.text(f)?.to_string())))
                    .collect();
                let titles = apply_safe_fixes(&mut loaded, !args.diff);
                for (rel, title) in titles {
                    let shown = display_path(&loaded.root, &rel);
                    applied.push((shown, title));
                }
                if args.diff {
                    for (rel, old) in &before {
                        let Some(new) = loaded.workspace.text(rel) else {
                            continue;
                        };
                        if new != old {
                            let shown = display_path(&loaded.root, rel);
                            diffs.push_str(&unified_diff(&shown, old, new));
                        }
                    }
                    continue;
                }
            }
            let analysis = loaded.workspace.analyze();
            let fingerprints =
                baseline.is_some() || args.write_baseline.is_some() || args.format == Format::Sarif;
            checked.push(Checked::new(loaded, &analysis, fingerprints));
            // The process ends after the report: freeing a whole workspace's analysis
            // piece by piece is a tenth of a large run's time, and the system takes the
            // memory back at exit anyway.
            std::mem::forget(analysis);
        }
    }
    if args.diff {
        print!("{diffs}");
        eprint!("{}", fix_list(&applied, "would fix"));
        return if diffs.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    if args.fix {
        let list = fix_list(&applied, "fixed");
        if args.format == Format::Human {
            print!("{list}");
        } else {
            eprint!("{list}");
        }
    }
    if let Some(file) = &args.write_baseline {
        let n: usize = checked.iter().map(|c| c.shown.len()).sum();
        let text = serde_json::to_string_pretty(&baseline_json(&checked)).unwrap_or_default();
        if let Err(e) = std::fs::write(file, text + "\n") {
            eprintln!("error: cannot write `{}`: {e}", file.display());
            return ExitCode::from(2);
        }
        eprintln!(
            "recorded {n} finding{} in `{}`",
            if n == 1 { "" } else { "s" },
            file.display()
        );
    }
    if let Some(mut accepted) = baseline {
        // A multiset: two identical findings need two entries.
        for c in &mut checked {
            c.shown.retain(|(_, fp)| match accepted.get_mut(fp) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            });
        }
    }
    let color = args.color.enabled(
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let out = match args.format {
        Format::Human => human(&checked, color, args.verbose),
        Format::Concise => concise(&checked, color),
        Format::Json => json_report(&checked) + "\n",
        Format::Github => github(&checked),
        Format::Sarif => sarif(&checked).to_string() + "\n",
    };
    print!("{out}");
    let threshold = args.fail_on.severity();
    let failing = checked
        .iter()
        .flat_map(|c| c.findings())
        .any(|f| f.severity <= threshold);
    // As for each analysis above: left to the system at exit.
    std::mem::forget(checked);
    if failing && !args.exit_zero && args.write_baseline.is_none() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The arguments of one workspace root: the root as printed and as an absolute path, and
/// each argument with what it selects.
struct Group {
    root: PathBuf,
    root_abs: PathBuf,
    args: Vec<(PathBuf, Select)>,
}

/// The arguments grouped by workspace root, in the order of the first argument of each;
/// a usage error (exit 2, said on standard error) for a path that does not exist.
fn workspaces(paths: &[PathBuf]) -> Result<Vec<Group>, ExitCode> {
    let mut groups: Vec<Group> = Vec::new();
    for path in paths {
        if !path.exists() {
            eprintln!("error: `{}` does not exist", path.display());
            return Err(ExitCode::from(2));
        }
        let located = match locate(path) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", path.display());
                return Err(ExitCode::from(2));
            }
        };
        let arg = (path.clone(), located.select);
        match groups.iter_mut().find(|g| g.root_abs == located.root_abs) {
            Some(g) => g.args.push(arg),
            None => groups.push(Group {
                root: located.root,
                root_abs: located.root_abs,
                args: vec![arg],
            }),
        }
    }
    Ok(groups)
}

/// The SARIF log of every root.
fn sarif(checked: &[Checked]) -> serde_json::Value {
    let mut items = Vec::new();
    for c in checked {
        let file = |p: &str| (c.display_path(p), c.text(p));
        for (f, fp) in &c.shown {
            let own = |p: &Option<std::sync::Arc<str>>| p.as_deref().unwrap_or(&f.path).to_string();
            items.push(crate::sarif::Item {
                path: c.display_path(&f.path),
                text: c.text(&f.path),
                finding: f,
                fingerprint: fp.clone(),
                related: f
                    .related
                    .iter()
                    .map(|r| {
                        let (p, t) = file(&own(&r.path));
                        (p, t, r)
                    })
                    .collect(),
                fixes: f
                    .fixes
                    .iter()
                    .map(|x| {
                        let edits = x
                            .edits
                            .iter()
                            .map(|e| {
                                let (p, t) = file(&own(&e.path));
                                (p, t, e)
                            })
                            .collect();
                        (x, edits)
                    })
                    .collect(),
            });
        }
    }
    crate::sarif::report(&items)
}

/// Escapes the data of a GitHub workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a GitHub workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `--format github`: one `::error`/`::warning`/`::notice` workflow command per finding,
/// which GitHub Actions shows as an annotation on the file, line and column.
fn github(checked: &[Checked]) -> String {
    let mut out = String::new();
    for c in checked {
        for f in c.findings() {
            let text = c.text(&f.path);
            let index = LineIndex::new(text);
            let (line, col) = line_col(text, &index, f.range.start);
            let (end_line, end_col) = line_col(text, &index, f.range.end);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let position = if end_line == line {
                format!("line={line},col={col},endColumn={end_col}")
            } else {
                format!("line={line},col={col},endLine={end_line}")
            };
            let _ = writeln!(
                out,
                "::{level} file={},{position},title={}::{}",
                gh_property(&c.display_path(&f.path)),
                gh_property(&format!("latch {}", f.code)),
                gh_data(f.headline()),
            );
        }
    }
    out
}

/// `fixed path: title` per applied fix, then the count; empty when nothing was fixed.
fn fix_list(applied: &[(String, String)], verb: &str) -> String {
    if applied.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for (path, title) in applied {
        let _ = writeln!(out, "{verb} {path}: {title}");
    }
    let files: BTreeSet<&str> = applied.iter().map(|(p, _)| p.as_str()).collect();
    let _ = writeln!(
        out,
        "{} {} in {}\n",
        if verb == "fixed" {
            "applied"
        } else {
            "would apply"
        },
        count(applied.len(), "fix", "fixes"),
        count(files.len(), "file", "files")
    );
    out
}

/// The unified diff of one file, `a/PATH` to `b/PATH` (an absolute path as it is), three
/// lines of context.
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let (old_name, new_name) = if Path::new(path).is_absolute() {
        (path.to_string(), path.to_string())
    } else {
        (format!("a/{path}"), format!("b/{path}"))
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .missing_newline_hint(true)
        .to_string()
}

/// The path to print for a path relative to `root`.
fn display_path(root: &Path, rel: &str) -> String {
    let p = root.join(rel);
    p.strip_prefix("./")
        .unwrap_or(&p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Applies the first safe fix of every finding, repeatedly (a fix can reveal another),
/// writing the changed files when `write`; returns `(relative path, fix title)` of each
/// applied fix, in order.
fn apply_safe_fixes(loaded: &mut Loaded, write: bool) -> Vec<(String, String)> {
    let mut applied = Vec::new();
    let asked: HashSet<String> = loaded.files.iter().cloned().collect();
    for _round in 0..5 {
        let analysis = loaded.workspace.analyze();
        let mut changed = false;
        for (path, findings) in &analysis.findings {
            // Only the files asked for: the rest of the workspace is read, not written.
            if !asked.contains(&**path) {
                continue;
            }
            let Some(text) = loaded.workspace.text(path).map(str::to_string) else {
                continue;
            };
            // Edits of one pass must not overlap; later ones wait for the next round.
            let mut edits: Vec<&latch_syntax::Edit> = Vec::new();
            let mut titles: Vec<&str> = Vec::new();
            for fix in findings
                .iter()
                .filter_map(|f| f.fixes.iter().find(|x| x.safe))
            {
                if fix.edits.iter().any(|e| e.path.is_some()) {
                    continue;
                }
                let overlaps = fix.edits.iter().any(|e| {
                    edits
                        .iter()
                        .any(|o| e.range.start <= o.range.end && o.range.start <= e.range.end)
                });
                if !overlaps {
                    edits.extend(fix.edits.iter());
                    titles.push(&fix.title);
                }
            }
            if edits.is_empty() {
                continue;
            }
            let (new_text, _) = latch_syntax::finding::apply_edits(&text, &edits);
            if new_text != text {
                let file = loaded.root.join(&**path);
                if !write || std::fs::write(&file, &new_text).is_ok() {
                    loaded.workspace.set_file_lean(path, new_text.as_bytes());
                    applied.extend(titles.iter().map(|t| (path.to_string(), t.to_string())));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    applied
}

/// 1-based line and column (Unicode scalar values) of a byte offset.
pub fn line_col(text: &str, index: &LineIndex, offset: usize) -> (u32, u32) {
    let (l, c) = index.position(text, offset, Encoding::Utf32);
    (l + 1, c + 1)
}

fn range_json(text: &str, index: &LineIndex, range: latch_syntax::Span) -> serde_json::Value {
    let (sl, sc) = line_col(text, index, range.start);
    let (el, ec) = line_col(text, index, range.end);
    json!({"start": {"line": sl, "column": sc}, "end": {"line": el, "column": ec}})
}

/// What was read, over every analysed root.
fn totals(checked: &[Checked]) -> ReadCounts {
    let mut t = ReadCounts::default();
    for c in checked {
        let n = c.loaded.workspace.read_counts(&c.loaded.files);
        t.files += n.files;
        t.policies += n.policies;
        t.skipped += n.skipped;
    }
    t
}

/// The JSON report, written one finding at a time (the findings of a large folder as one
/// JSON tree would take many times the memory of the text).
fn json_report(checked: &[Checked]) -> String {
    let mut out = String::from("{\"findings\":[");
    let mut first = true;
    let (mut errors, mut warnings) = (0, 0);
    for c in checked {
        for f in c.findings() {
            match f.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => {}
            }
            let text = c.text(&f.path);
            let index = LineIndex::new(text);
            let other =
                |p: &Option<std::sync::Arc<str>>| p.as_deref().unwrap_or(&f.path).to_string();
            let related: Vec<_> = f
                .related
                .iter()
                .map(|r| {
                    let rp = other(&r.path);
                    let rt = c.text(&rp);
                    json!({"path": c.display_path(&rp), "range": range_json(rt, &LineIndex::new(rt), r.range), "message": r.message})
                })
                .collect();
            let fixes: Vec<_> = f
                .fixes
                .iter()
                .map(|fix| {
                    let edits: Vec<_> = fix
                        .edits
                        .iter()
                        .map(|e| {
                            let ep = other(&e.path);
                            let et = c.text(&ep);
                            json!({"path": c.display_path(&ep), "range": range_json(et, &LineIndex::new(et), e.range), "new_text": e.new_text})
                        })
                        .collect();
                    json!({"title": fix.title, "safe": fix.safe, "edits": edits})
                })
                .collect();
            let finding = json!({
                "code": f.code,
                "severity": f.severity.as_str(),
                "path": c.display_path(&f.path),
                "range": range_json(text, &index, f.range),
                "byte_range": [f.range.start, f.range.end],
                "message": f.message,
                "why": f.why,
                "help": f.help,
                "notes": f.notes,
                "trace": f.trace,
                "related": related,
                "fixes": fixes,
            });
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&finding.to_string());
        }
    }
    let t = totals(checked);
    let summary = json!({
        "files": t.files,
        "policies": t.policies,
        "skipped": t.skipped,
        "errors": errors,
        "warnings": warnings,
    });
    let _ = write!(out, "],\"summary\":{summary},\"version\":1}}");
    out
}

/// The display width of a string in a terminal (CJK and emoji take two columns).
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `--format concise`: `path:line:column: severity[code] headline`, one line a finding.
fn concise(checked: &[Checked], color: bool) -> String {
    let mut out = String::new();
    for c in checked {
        for f in c.findings() {
            let text = c.text(&f.path);
            let (line, col) = line_col(text, &LineIndex::new(text), f.range.start);
            let _ = writeln!(
                out,
                "{}:{line}:{col}: {} {}",
                c.display_path(&f.path),
                severity_code(f, color),
                f.headline()
            );
        }
    }
    out
}

/// `error[access/mfa]`, coloured when `color`.
fn severity_code(f: &Finding, color: bool) -> String {
    if color {
        format!(
            "\x1b[{}m{}\x1b[0m[\x1b[1m{}\x1b[0m]",
            severity_color(f.severity),
            f.severity.as_str(),
            f.code
        )
    } else {
        format!("{}[{}]", f.severity.as_str(), f.code)
    }
}

fn human(checked: &[Checked], color: bool, verbose: bool) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 4];
    let mut fixable = 0;
    let totals = totals(checked);
    // Every file read, a skipped one included (a file that is not UTF-8 has a finding).
    let files = totals.files + totals.skipped;
    let mut with_findings = 0;
    for c in checked {
        let paths: BTreeSet<&str> = c.findings().map(|f| &*f.path).collect();
        with_findings += paths.len();
        for f in c.findings() {
            counts[f.severity as usize] += 1;
            if f.fixes
                .iter()
                .any(|x| x.safe && x.edits.iter().all(|e| e.path.is_none()))
            {
                fixable += 1;
            }
            render_finding(c, f, color, verbose, &mut out);
        }
    }
    let [errors, warnings, infos, hints] = counts;
    if errors + warnings + infos + hints == 0 {
        let _ = writeln!(
            out,
            "no problems found in {files} file{}",
            if files == 1 { "" } else { "s" }
        );
        out.push_str(&counts_line(&totals));
        return out;
    }
    let mut parts = Vec::new();
    for (n, word) in [
        (errors, "error"),
        (warnings, "warning"),
        (infos, "info"),
        (hints, "hint"),
    ] {
        if n > 0 {
            parts.push(format!(
                "{n} {word}{}",
                if n == 1 || word == "info" { "" } else { "s" }
            ));
        }
    }
    let of = if files <= 1 {
        count(files.max(with_findings), "file", "files")
    } else {
        format!("{with_findings} of {files} files")
    };
    let _ = write!(out, "found {} in {of}", parts.join(", "));
    if fixable > 0 {
        let _ = write!(out, " ({fixable} fixable with `latch check --fix`)");
    }
    out.push('\n');
    out.push_str(&counts_line(&totals));
    out
}

/// `3 files`, `1 policy`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `checked 12 policies in 10 files; 3 files skipped (not policies)`.
fn counts_line(t: &ReadCounts) -> String {
    let mut s = format!(
        "checked {} in {}",
        count(t.policies, "policy", "policies"),
        count(t.files, "file", "files")
    );
    if t.skipped > 0 {
        let _ = write!(
            s,
            "; {} skipped (not policies)",
            count(t.skipped, "file", "files")
        );
    }
    s.push('\n');
    s
}

/// How many related places human output lists under a finding without `-v`.
const HUMAN_RELATED: usize = 3;

/// The ANSI colour of a severity word: red, yellow, blue, cyan.
fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;34",
        Severity::Hint => "1;36",
    }
}

fn render_finding(c: &Checked, f: &Finding, color: bool, verbose: bool, out: &mut String) {
    let text = c.text(&f.path);
    let index = LineIndex::new(text);
    let (line, col) = line_col(text, &index, f.range.start);
    let _ = writeln!(out, "{}: {}", severity_code(f, color), f.headline());
    let _ = writeln!(out, "  --> {}:{line}:{col}", c.display_path(&f.path));
    let Some(range) = index.line_range(text, line.saturating_sub(1)) else {
        out.push('\n');
        return;
    };
    let src = &text[range.clone()];
    let gutter = line.to_string().len();
    let shown = src.replace('\t', "    ");
    let before = &text[range.start..f.range.start.clamp(range.start, range.end)];
    let end = f.range.end.clamp(range.start, range.end);
    let under = &text[f.range.start.clamp(range.start, range.end)..end];
    let pad = width(&before.replace('\t', "    "));
    let carets = width(&under.replace('\t', "    ")).max(1);
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line:>gutter$} | {shown}");
    let _ = writeln!(
        out,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(pad),
        "^".repeat(carets)
    );
    if let Some(why) = &f.why {
        let _ = writeln!(out, "{:gutter$} = why: {why}", "");
    }
    for n in &f.notes {
        let _ = writeln!(out, "{:gutter$} = note: {n}", "");
    }
    let limit = if verbose { usize::MAX } else { HUMAN_RELATED };
    for r in f.related.iter().take(limit) {
        let rp = r.path.as_deref().unwrap_or(&f.path);
        let rt = c.text(rp);
        let (rl, rc) = line_col(rt, &LineIndex::new(rt), r.range.start);
        // `path:line:column: message`, as compilers print it: a token that editors
        // and terminals open at the place.
        let _ = writeln!(
            out,
            "{:gutter$} = note: {}:{rl}:{rc}: {}",
            "",
            c.display_path(rp),
            r.message
        );
    }
    if f.related.len() > limit {
        let more = f.related.len() - limit;
        let _ = writeln!(
            out,
            "{:gutter$} = note: {more} more {} (`-v` lists {})",
            "",
            if more == 1 {
                "place takes part"
            } else {
                "places take part"
            },
            if more == 1 { "it" } else { "them" }
        );
    }
    if let Some(help) = &f.help {
        let _ = writeln!(out, "{:gutter$} = help: {help}", "");
    }
    for fix in &f.fixes {
        let kind = if fix.safe { "fix" } else { "suggestion" };
        let _ = writeln!(out, "{:gutter$} = {kind}: {}", "", fix.title);
    }
    if verbose {
        if let Some(trace) = f.detail() {
            let _ = writeln!(out, "{:gutter$} = trace:", "");
            for l in trace.lines() {
                let _ = writeln!(out, "{:gutter$}     {l}", "");
            }
        }
    }
    out.push('\n');
}

/// The findings of `code` on a workspace fixture as `latch check` prints them, without
/// colour or summary: the output `docs/checks.md` and `latch explain` show for a check's
/// example (so that it is the real output, regenerated with the docs).
pub fn example_output(fixture: &str, code: &str) -> String {
    let workspace = latch_ide::workspace::workspace_from_fixture(fixture);
    let files = workspace.paths().map(|p| p.to_string()).collect();
    let loaded = Loaded {
        root: PathBuf::new(),
        workspace,
        files,
    };
    let analysis = loaded.workspace.analyze();
    let mut c = Checked::new(loaded, &analysis, false);
    c.shown.retain(|(f, _)| f.code == code);
    let mut out = String::new();
    for f in c.findings() {
        render_finding(&c, f, false, false, &mut out);
    }
    out
}
