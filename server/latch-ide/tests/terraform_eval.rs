//! Terraform evaluated as Terraform does (`tests/fixtures/terraform/eval/main.tf`): null
//! arguments dropped, `dynamic` blocks read as templates, statements inside `concat`,
//! conditionals and `for` expressions checked with their own ranges, `count = 0`
//! resources absent, unknown source documents, `replace()` placeholders, module inputs
//! never read as their default. Real mistakes inside are still found, at exact places.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use latch_ide::workspace::Workspace;

const MAIN: &str = include_str!("../../../tests/fixtures/terraform/eval/main.tf");
const TEMPLATE: &str = include_str!("../../../tests/fixtures/terraform/eval/policy.json.tpl");

fn at(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    (
        before.matches('\n').count() + 1,
        before.rsplit('\n').next().unwrap().chars().count() + 1,
    )
}

fn findings(files: &[(&str, &str)]) -> Vec<String> {
    let mut ws = Workspace::new();
    for (p, t) in files {
        ws.set_file(p, t.as_bytes());
    }
    let a = ws.analyze();
    let mut out = Vec::new();
    for f in a.all() {
        let text = ws.text(&f.path).unwrap();
        let (l, c) = at(text, f.range.start);
        let (el, ec) = at(text, f.range.end);
        out.push(format!("{}:{l}:{c}-{el}:{ec} {}", f.path, f.code));
    }
    out.sort();
    out
}

#[test]
fn only_the_real_mistakes_are_found_with_their_ranges() {
    assert_eq!(
        findings(&[("eval/main.tf", MAIN), ("eval/policy.json.tpl", TEMPLATE)]),
        vec![
            "eval/main.tf:35:23-35:30 policy/invalid-effect",
            "eval/main.tf:72:32-72:38 policy/invalid-effect",
            "eval/main.tf:73:45-73:51 policy/invalid-effect",
            "eval/policy.json.tpl:10:17-10:23 policy/invalid-effect",
        ]
    );
}

#[test]
fn a_template_alone_is_not_read_as_it_is_written() {
    // Without the `templatefile()` call the template is not a policy latch reads.
    assert!(findings(&[("eval/policy.json.tpl", TEMPLATE)]).is_empty());
}

#[test]
fn a_tfvars_value_is_the_value() {
    let tfvars = "create = false\n";
    let found = findings(&[("eval/main.tf", MAIN), ("eval/terraform.tfvars", tfvars)]);
    // `create = false`: the conditional branch with a mistake is not taken; the dynamic
    // statement and the `for` expression still are.
    assert_eq!(
        found,
        vec![
            "eval/main.tf:35:23-35:30 policy/invalid-effect",
            "eval/main.tf:73:45-73:51 policy/invalid-effect",
        ]
    );
}

#[test]
fn no_fix_edits_a_reference_or_a_default() {
    let mut ws = Workspace::new();
    ws.set_file("eval/main.tf", MAIN.as_bytes());
    let a = ws.analyze();
    for f in a.all() {
        for fix in &f.fixes {
            for e in &fix.edits {
                let text =
                    &MAIN[e.range.start.saturating_sub(1)..(e.range.end + 1).min(MAIN.len())];
                assert!(!text.contains("var."), "{}: {text}", fix.title);
            }
        }
    }
}

#[test]
fn a_json_file_rendered_by_templatefile_is_read_with_its_variables() {
    let main = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/p.json\", { bucket = var.bucket })\n}\nvariable \"bucket\" {}\n";
    let json = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"${bucket}\"}]}\n";
    // `${bucket}` is unknown, not a malformed ARN.
    assert!(findings(&[("t/main.tf", main), ("t/p.json", json)]).is_empty());
    let wrong = json.replace("\"Allow\"", "\"allow\"");
    assert_eq!(
        findings(&[("t/main.tf", main), ("t/p.json", &wrong)]),
        vec!["t/p.json:1:52-1:59 policy/invalid-effect"]
    );
}
