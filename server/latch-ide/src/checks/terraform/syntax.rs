//! `terraform/syntax`: a top-level block of a `.tf` file that does not parse. Reported by
//! `latch_syntax::terraform`; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "terraform/syntax",
    severity: Severity::Error,
    summary: "a Terraform block that does not parse",
    what: "Reports a top-level block (`resource`, `data`, `locals`, ...) of a `.tf` file that is not valid \
           HCL, at the place the parser stopped. Only that block is skipped: the other blocks of the file, \
           and every other file, are still analysed.",
    why: "`terraform plan` rejects the whole module. While you type, Latch keeps analysing the rest so the \
          other diagnostics stay useful.",
    example: "//- main.tf\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"example-logs\"\n}\n\nresource \"aws_iam_policy\" \"reader\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = , Resource = \"*\" }]\n  })\n}\n",
    prefer: "//- main.tf\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"example-logs\"\n}\n\nresource \"aws_iam_policy\" \"reader\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\" }]\n  })\n}\n",
    fix: FixAvailability::None,
};
