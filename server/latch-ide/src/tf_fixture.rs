//! Test support: writes a JSON policy as Terraform in the three forms people use
//! (`jsonencode(...)`, a heredoc, a `data "aws_iam_policy_document"` block) and reads it
//! back through `latch_syntax::terraform`, so tests can run catalogue features on trees
//! whose spans point into `.tf` text.

use latch_syntax::json::{Value, ValueKind, parse};
use latch_syntax::terraform::{InlinePolicy, PolicySource, ProviderAccounts, analyze_module};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TfForm {
    Jsonencode,
    Heredoc,
    Document,
}

pub(crate) const FORMS: [TfForm; 3] = [TfForm::Jsonencode, TfForm::Heredoc, TfForm::Document];

/// An HCL string literal: quotes, escapes, and `${`/`%{` doubled so they stay literal.
fn hcl_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out.replace("${", "$${").replace("%{", "%%{")
}

fn hcl_value(v: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    match &v.kind {
        ValueKind::String(s) => hcl_string(s),
        ValueKind::Number(n) => n.to_string(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Null | ValueKind::Missing => "null".to_string(),
        ValueKind::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| hcl_value(i, indent + 1)).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Object(members) => {
            let mut out = String::from("{\n");
            for m in members {
                out.push_str(&format!(
                    "{pad}{} = {}\n",
                    hcl_string(&m.key),
                    hcl_value(&m.value, indent + 1)
                ));
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
            out
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    match &v.kind {
        ValueKind::Array(items) => items.iter().filter_map(Value::scalar_text).collect(),
        _ => v.scalar_text().into_iter().collect(),
    }
}

fn list(v: &Value) -> String {
    let items: Vec<String> = strings(v).iter().map(|s| hcl_string(s)).collect();
    format!("[{}]", items.join(", "))
}

fn document(tree: &Value) -> String {
    let mut out = String::from("data \"aws_iam_policy_document\" \"d\" {\n");
    if let Some(v) = tree.get("Version").and_then(Value::as_str) {
        out.push_str(&format!("  version = {}\n", hcl_string(v)));
    }
    let statements: Vec<&Value> = match tree.get("Statement").map(|s| &s.kind) {
        Some(ValueKind::Array(items)) => items.iter().collect(),
        Some(ValueKind::Object(_)) => tree.get("Statement").into_iter().collect(),
        _ => Vec::new(),
    };
    for st in statements {
        out.push_str("  statement {\n");
        for m in st.as_object().unwrap_or(&[]) {
            match m.key.as_str() {
                "Sid" => out.push_str(&format!("    sid = {}\n", hcl_value(&m.value, 2))),
                "Effect" => out.push_str(&format!("    effect = {}\n", hcl_value(&m.value, 2))),
                "Action" => out.push_str(&format!("    actions = {}\n", list(&m.value))),
                "NotAction" => out.push_str(&format!("    not_actions = {}\n", list(&m.value))),
                "Resource" => out.push_str(&format!("    resources = {}\n", list(&m.value))),
                "NotResource" => out.push_str(&format!("    not_resources = {}\n", list(&m.value))),
                "Principal" | "NotPrincipal" => {
                    let block = if m.key == "Principal" {
                        "principals"
                    } else {
                        "not_principals"
                    };
                    match &m.value.kind {
                        ValueKind::Object(types) => {
                            for t in types {
                                out.push_str(&format!(
                                    "    {block} {{\n      type = {}\n      identifiers = {}\n    }}\n",
                                    hcl_string(&t.key),
                                    list(&t.value)
                                ));
                            }
                        }
                        _ => out.push_str(&format!(
                            "    {block} {{\n      type = \"*\"\n      identifiers = [\"*\"]\n    }}\n"
                        )),
                    }
                }
                "Condition" => {
                    for op in m.value.as_object().unwrap_or(&[]) {
                        for key in op.value.as_object().unwrap_or(&[]) {
                            out.push_str(&format!(
                                "    condition {{\n      test = {}\n      variable = {}\n      values = {}\n    }}\n",
                                hcl_string(&op.key),
                                hcl_string(&key.key),
                                list(&key.value)
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n\nresource \"aws_iam_policy\" \"p\" {\n  policy = data.aws_iam_policy_document.d.json\n}\n");
    out
}

/// The policy `json` written as Terraform in `form`. `None` when `json` is not an object.
pub(crate) fn to_terraform(json: &str, form: TfForm) -> Option<String> {
    let tree = parse(json).value?;
    tree.as_object()?;
    Some(match form {
        TfForm::Jsonencode => format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({})\n}}\n",
            hcl_value(&tree, 1)
        ),
        TfForm::Heredoc => format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  policy = <<EOF\n{}\nEOF\n}}\n",
            json.trim().replace("${", "$${").replace("%{", "%%{")
        ),
        TfForm::Document => document(&tree),
    })
}

/// The inline policies latch's Terraform extractor finds in `tf` (one file, `main.tf`).
pub(crate) fn policies(tf: &str) -> Vec<InlinePolicy> {
    let module = analyze_module(&[("main.tf", tf)], &ProviderAccounts::default());
    module
        .policies
        .into_iter()
        .filter_map(|p| match p.source {
            PolicySource::Inline(inline) => Some(*inline),
            _ => None,
        })
        .collect()
}
