//! `policy/principal-not-allowed`: `Principal` or `NotPrincipal` in a policy kind that
//! must not name principals (identity policies, boundaries, session policies, SCPs), and
//! `NotPrincipal` where it is not supported (trust policies, RCPs).

use latch_syntax::policy::PolicyKind;
use latch_syntax::{Finding, Fix, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/principal-not-allowed",
    severity: Severity::Error,
    summary: "`Principal` in a policy that applies to its own principal",
    what: "Reports `Principal` or `NotPrincipal` in identity policies, permissions boundaries, session \
           policies and SCPs, and `NotPrincipal` in trust policies and RCPs.",
    why: "An identity policy applies to whoever it is attached to, so it cannot name a principal: AWS \
          rejects it. The statement was probably copied from a bucket or key policy.",
    example: "//- iam/reader.json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/Jane\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}\n//- latch.toml\n[[principal]]\narn = \"arn:aws:iam::111122223333:user/Jane\"\npolicies = [\"iam/reader.json\"]\n",
    prefer: "//- iam/reader.json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}\n//- latch.toml\n[[principal]]\narn = \"arn:aws:iam::111122223333:user/Jane\"\npolicies = [\"iam/reader.json\"]\n",
    fix: FixAvailability::Always,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let forbidden: &[&str] = match ctx.kind {
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Scp => {
            &["Principal", "NotPrincipal"]
        }
        PolicyKind::Trust | PolicyKind::Rcp => &["NotPrincipal"],
        _ => &[],
    };
    for obj in &ctx.statements {
        for key in forbidden {
            let Some(m) = member(obj, key) else { continue };
            let removal = super::member_removal(ctx.text, obj, m);
            let mut f = Finding::new(
                DOC.code,
                DOC.severity,
                m.key_span,
                format!("`{key}` is not allowed in {}", ctx.kind.a_name()),
            );
            if let Some(edit) = removal {
                f.fixes
                    .push(Fix::unsafe_(format!("remove `{key}`"), vec![edit]));
            }
            out.push(f);
        }
    }
}
