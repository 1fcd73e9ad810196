//! `terraform/not-a-plan`: a JSON file that looks like `terraform show -json` output but is
//! not a plan Latch can read. Reported by `latch_syntax::terraform`; this file holds its
//! documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "terraform/not-a-plan",
    severity: Severity::Warning,
    summary: "a plan file without `planned_values`",
    what: "Reports `terraform show -json` output whose `planned_values` are missing or not an object, so no \
           resources can be read from it.",
    why: "Latch reads plans to replace values unknown in the configuration with the values Terraform \
          computed. A state file or a truncated plan gives nothing to read.",
    example: "//- generated\na plan JSON file whose `planned_values` is a string",
    prefer: "//- plan.json\n{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": []}}}\n",
    fix: FixAvailability::None,
};
