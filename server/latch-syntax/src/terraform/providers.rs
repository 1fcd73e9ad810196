//! The account of each AWS provider configuration when `latch.toml` does not give it.
//!
//! In order: `latch.toml` `[providers]` (already in [`ProviderAccounts`]); the provider
//! block itself, when it names one account (`assume_role { role_arn = "arn:aws:iam::
//! 111122223333:role/x" }`, `allowed_account_ids = ["111122223333"]`); else a stand-in
//! account for that provider configuration. Resources under one configuration share its
//! stand-in, so a single-account module is decided as one account; two configurations
//! get different stand-ins, and a decision that would rest on them being different
//! accounts is not certain (see [`is_stand_in_account`]). Stand-ins are 12 digits that
//! start with nine zeros, so that ARNs built from them parse, and they are never written
//! into a fix or shown as a real account.

use std::collections::BTreeSet;

use crate::terraform::Module;
use crate::terraform::ast::{Block, Expr, ExprKind};
use crate::terraform::resolve::ProviderAccounts;

/// The stand-in account of a provider configuration (`aws`, `aws.prod`).
pub fn stand_in_account(provider: &str) -> String {
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in provider.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("000000000{:03}", h % 1000)
}

/// Whether an account id is a stand-in made by [`stand_in_account`].
pub fn is_stand_in_account(account: &str) -> bool {
    account.len() == 12
        && account.starts_with("000000000")
        && account.bytes().all(|b| b.is_ascii_digit())
}

/// `aws` or `aws.alias` for a `provider "aws" { alias = "x" }` block.
fn configuration_name(b: &Block) -> Option<String> {
    let name = b.label(0);
    if name != "aws" {
        return None;
    }
    match b.attr("alias").and_then(|a| a.value.as_str()) {
        Some(alias) => Some(format!("aws.{alias}")),
        None => Some("aws".to_string()),
    }
}

fn twelve_digits(s: &str) -> Option<String> {
    (s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string())
}

/// The one account a provider block names, if it names exactly one as literal text.
fn account_of_block(b: &Block) -> Option<String> {
    for ar in b.blocks_named("assume_role") {
        if let Some(arn) = ar.attr("role_arn").and_then(|a| a.value.as_str()) {
            if let Some(acct) = arn.split(':').nth(4).and_then(twelve_digits) {
                return Some(acct);
            }
        }
    }
    if let Some(a) = b.attr("allowed_account_ids") {
        if let Expr {
            kind: ExprKind::List(items),
            ..
        } = &a.value
        {
            if let [one] = items.as_slice() {
                return one.as_str().and_then(twelve_digits);
            }
        }
    }
    None
}

/// The region each AWS provider configuration of the module states as literal text
/// (`region = "us-east-1"`), by configuration name.
pub fn regions(module: &Module) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for f in &module.files {
        for b in &f.blocks {
            if b.ident.value != "provider" {
                continue;
            }
            let (Some(name), Some(region)) = (
                configuration_name(b),
                b.attr("region").and_then(|a| a.value.as_str()),
            ) else {
                continue;
            };
            out.insert(name, region.to_string());
        }
    }
    out
}

/// `providers` completed for every AWS provider configuration the module declares or
/// uses: from its provider blocks, else with a stand-in account.
pub fn complete_accounts(module: &Module, providers: &ProviderAccounts) -> ProviderAccounts {
    let mut out = providers.clone();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for f in &module.files {
        for b in &f.blocks {
            if b.ident.value != "provider" {
                continue;
            }
            let Some(name) = configuration_name(b) else {
                continue;
            };
            if out.account(&name).is_none() {
                if let Some(acct) = account_of_block(b) {
                    out.accounts.insert(name.clone(), acct);
                }
            }
            used.insert(name);
        }
    }
    for r in &module.resources {
        if r.provider == "aws" || r.provider.starts_with("aws.") {
            used.insert(r.provider.clone());
        }
    }
    for name in used {
        if out.account(&name).is_none() {
            let acct = stand_in_account(&name);
            out.accounts.insert(name, acct);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::analyze_module;

    #[test]
    fn accounts_come_from_the_provider_blocks_else_stand_ins() {
        let main = r#"
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias = "analytics"
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/terraform"
  }
}

provider "aws" {
  alias               = "storage"
  allowed_account_ids = ["444455556666"]
}

resource "aws_s3_bucket" "b" {
  bucket = "example"
}
"#;
        let m = analyze_module(&[("main.tf", main)], &ProviderAccounts::default());
        let p = complete_accounts(&m, &ProviderAccounts::default());
        assert_eq!(p.account("aws.analytics"), Some("111122223333"));
        assert_eq!(p.account("aws.storage"), Some("444455556666"));
        assert_eq!(
            regions(&m).get("aws").map(String::as_str),
            Some("us-east-1")
        );
        assert_eq!(regions(&m).get("aws.analytics"), None);
        let default = p.account("aws").unwrap_or_default();
        assert!(is_stand_in_account(default), "{default}");
        assert_eq!(default, stand_in_account("aws"));
        assert_ne!(stand_in_account("aws"), stand_in_account("aws.other"));
        // `latch.toml` wins.
        let given = ProviderAccounts::new([("aws.analytics", "999988887777")]);
        let p = complete_accounts(&m, &given);
        assert_eq!(p.account("aws.analytics"), Some("999988887777"));
    }
}
