//! A whole workspace: the input is a fixture (`//- path` lines start files, as in the
//! tests; text without one is `policy.json`), set into a `Workspace` and analysed, then
//! its first file is cut in half and the workspace analysed again (the cached path an
//! editor takes). Nothing panics; every finding is filed under its own path, and its
//! range, related locations and fixes' edits stay inside their files' texts.
#![no_main]

use latch_fuzz::{assert_inside, places};
use latch_ide::workspace::{Analysis, Workspace, parse_fixture};
use libfuzzer_sys::fuzz_target;

fn check(ws: &Workspace, analysis: &Analysis) {
    for (path, findings) in &analysis.findings {
        let Some(text) = ws.text(path) else {
            panic!("findings for `{path}`, which is not in the workspace");
        };
        for f in findings {
            assert_eq!(&f.path, path, "a finding filed under another path");
            for (p, range) in places(f) {
                let in_text = p.map_or(text, |p| ws.text(p).unwrap_or(""));
                assert_inside(in_text, [range], f.code);
            }
        }
    }
}

fuzz_target!(|text: &str| {
    let files = parse_fixture(text);
    if files.len() > 12 {
        return;
    }
    let mut ws = Workspace::new();
    for (path, body) in &files {
        ws.set_file(path, body.as_bytes());
    }
    check(&ws, &ws.analyze());
    if let Some((path, body)) = files.first() {
        let mut half = body.len() / 2;
        while !body.is_char_boundary(half) {
            half -= 1;
        }
        ws.set_file(path, &body.as_bytes()[..half]);
        check(&ws, &ws.analyze());
    }
});
