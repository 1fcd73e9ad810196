//! Local Terraform modules, followed per call.
//!
//! A `module "x" { source = "./modules/b" ... }` block whose source is a folder of the
//! workspace makes an instance of that folder: its files analysed again with the call's
//! arguments as the values of its `var.*` (those Terraform knows from the code: literal
//! text, or the caller's own values), the caller's provider accounts (through the call's
//! `providers` map, else the caller's default `aws`), and its outputs in turn given to the
//! caller as `module.x.<output>`. Two calls are two instances. A folder that some call of
//! the workspace instantiates is simulated only through its instances (read alone, its
//! inputs are unknown); its own findings (syntax, single-document checks) stay as they
//! are. A registry or git source is followed in the copy `terraform init` made
//! (`.terraform/modules/modules.json` names its folder); without it, what the call
//! creates is unknown.
//!
//! Instances are cached like folders: while the child's files, the caller's files and the
//! accounts and values they are given stay the same.

use std::collections::BTreeMap;
use std::sync::Arc;

use latch_syntax::span::Span;
use latch_syntax::terraform::ast::{Block, ExprKind};
use latch_syntax::terraform::resolve::{Index as TfIndex, ProviderAccounts, TfValue};
use latch_syntax::terraform::{self, Module};

use crate::workspace::{ModuleAnalysis, ModuleCall, Workspace};

/// Arguments of a `module` block that are not inputs of the module.
const META: &[&str] = &[
    "source",
    "version",
    "providers",
    "count",
    "for_each",
    "depends_on",
];

/// Joins a module source to the caller's folder, `..` included; `None` when it leaves
/// the workspace.
fn child_dir(caller: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = caller.split('/').filter(|p| !p.is_empty()).collect();
    for seg in source.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// One local module call of a caller's files.
struct Call<'a> {
    name: String,
    child: String,
    file: usize,
    block: &'a Block,
}

/// The folder `terraform init` downloaded a registry or git module of call `name` into,
/// from the caller folder's `.terraform/modules/modules.json`.
fn downloaded(ws: &Workspace, caller_dir: &str, name: &str) -> Option<String> {
    let list = if caller_dir.is_empty() {
        ".terraform/modules/modules.json".to_string()
    } else {
        format!("{caller_dir}/.terraform/modules/modules.json")
    };
    let v: serde_json::Value = serde_json::from_str(ws.text(&list)?).ok()?;
    let dir = v["Modules"]
        .as_array()?
        .iter()
        .find(|m| m["Key"].as_str() == Some(name))?["Dir"]
        .as_str()?
        .to_string();
    child_dir(caller_dir, &format!("./{dir}"))
}

fn calls<'m>(ws: &Workspace, caller_dir: &str, module: &'m Module) -> Vec<Call<'m>> {
    let mut out = Vec::new();
    for (fi, f) in module.files.iter().enumerate() {
        for b in &f.blocks {
            if b.ident.value != "module" {
                continue;
            }
            let Some(source) = b.attr("source").and_then(|a| a.value.as_str()) else {
                continue;
            };
            let local = source.starts_with("./") || source.starts_with("../");
            // A call that Terraform makes zero times creates nothing.
            if let Some(c) = b.attr("count") {
                if matches!(&c.value.kind, ExprKind::Number(n) if n == "0") {
                    continue;
                }
            }
            // A registry or git source: the copy `terraform init` made, if it ran;
            // otherwise what the module creates is unknown.
            let child = if local {
                child_dir(caller_dir, source)
            } else {
                downloaded(ws, caller_dir, b.label(0))
            };
            let Some(child) = child else {
                continue;
            };
            out.push(Call {
                name: b.label(0).to_string(),
                child,
                file: fi,
                block: b,
            });
        }
    }
    out
}

/// The accounts and input values an instance is given.
fn instance_providers(
    caller: &Module,
    caller_providers: &ProviderAccounts,
    caller_dir: &str,
    call: &Call<'_>,
) -> ProviderAccounts {
    let mut out = ProviderAccounts {
        accounts: BTreeMap::new(),
        partition: caller_providers.partition.clone(),
        pinned: BTreeMap::new(),
    };
    // The child's default `aws` is the caller's default, unless `providers` maps it.
    if let Some(a) = caller_providers.account("aws") {
        out.accounts.insert("aws".to_string(), a.to_string());
    }
    if let Some(p) = call.block.attr("providers") {
        if let ExprKind::Object(items) = &p.value.kind {
            for item in items {
                let k = item.key.value.clone();
                let Some(v) = item.value.reference_text() else {
                    continue;
                };
                if let Some(acct) = caller_providers.account(&v) {
                    out.accounts.insert(k, acct.to_string());
                }
            }
        }
    }
    out.pinned.insert(
        crate::workspace::INSTANCE_PIN.to_string(),
        call.name.clone(),
    );
    let index = TfIndex::new(&caller.files, caller_providers, caller_dir);
    for a in &call.block.attributes {
        if META.contains(&a.key.value.as_str()) {
            continue;
        }
        if let TfValue::String(v) = index.eval(call.file, &a.value).value {
            out.pinned.insert(format!("var.{}", a.key.value), v);
        }
    }
    out
}

/// The outputs of an instance that Terraform knows from the code.
fn outputs(module: &Module, providers: &ProviderAccounts, dir: &str) -> BTreeMap<String, String> {
    let index = TfIndex::new(&module.files, providers, dir);
    let mut out = BTreeMap::new();
    for (fi, f) in module.files.iter().enumerate() {
        for b in &f.blocks {
            if b.ident.value != "output" {
                continue;
            }
            let Some(v) = b.attr("value") else { continue };
            if let TfValue::String(s) = index.eval(fi, &v.value).value {
                out.insert(b.label(0).to_string(), s);
            }
        }
    }
    out
}

/// Folder `dir` analysed with `providers`, kept in `cache` under `key` while its files
/// and the providers stay the same; `make` wraps a new analysis.
fn cached(
    ws: &Workspace,
    cache: &mut crate::workspace::ModuleCache,
    key: &str,
    dir: &str,
    providers: &ProviderAccounts,
    make: impl FnOnce(Module) -> ModuleAnalysis,
) -> Arc<ModuleAnalysis> {
    let files = ws.terraform_files(dir);
    let revisions: Vec<u64> = files.iter().map(|(_, _, r)| *r).collect();
    if let Some((revs, provs, a)) = cache.get(key) {
        if *revs == revisions && provs == providers {
            return a.clone();
        }
    }
    let inputs: Vec<(&str, &str)> = files.iter().map(|(p, t, _)| (*p, *t)).collect();
    let a = Arc::new(make(crate::workspace::analyze_pinned(&inputs, providers)));
    cache.insert(key.to_string(), (revisions, providers.clone(), a.clone()));
    a
}

/// `analyses` with an instance for every local module call, and each caller analysed
/// again with the outputs of its calls when they are known.
pub(crate) fn with_instances(
    ws: &Workspace,
    analyses: Vec<Arc<ModuleAnalysis>>,
    cache: &mut crate::workspace::ModuleCache,
) -> Vec<Arc<ModuleAnalysis>> {
    let by_dir: BTreeMap<String, Arc<ModuleAnalysis>> = analyses
        .iter()
        .filter(|m| !m.key.starts_with("plan:"))
        .map(|m| (m.key.clone(), m.clone()))
        .collect();
    let mut instances: Vec<Arc<ModuleAnalysis>> = Vec::new();
    let mut replaced: BTreeMap<String, Arc<ModuleAnalysis>> = BTreeMap::new();
    for (dir, caller) in &by_dir {
        let calls = calls(ws, dir, &caller.module);
        if calls.is_empty() {
            continue;
        }
        let caller_providers =
            terraform::providers::complete_accounts(&caller.module, &ws.providers_for(dir));
        let mut output_pins: BTreeMap<String, String> = BTreeMap::new();
        for call in calls {
            // A call of its own folder, or of a folder the caller is inside, would loop.
            if call.child == *dir || dir.starts_with(&format!("{}/", call.child)) {
                continue;
            }
            let Some(child) = by_dir.get(&call.child) else {
                continue;
            };
            let providers = instance_providers(&caller.module, &caller_providers, dir, &call);
            let key = format!("{}#module.{}@{dir}", call.child, call.name);
            let analysis = cached(ws, cache, &key, &call.child, &providers, |module| {
                let site = caller
                    .module
                    .files
                    .get(call.file)
                    .map(|f| (f.path.clone(), call.block.span))
                    .unwrap_or_else(|| (Arc::from(""), Span::default()));
                ModuleAnalysis {
                    key: key.clone(),
                    module,
                    findings: Vec::new(),
                    stale: child.stale.clone(),
                    call: Some(ModuleCall {
                        name: call.name.clone(),
                        child: call.child.clone(),
                        caller: dir.clone(),
                        site,
                    }),
                }
            });
            for (k, v) in outputs(&analysis.module, &providers, &call.child) {
                output_pins.insert(format!("module.{}.{k}", call.name), v);
            }
            instances.push(analysis);
        }
        if output_pins.is_empty() {
            continue;
        }
        // The caller again, with what its calls give back.
        let mut providers = ws.providers_for(dir);
        providers.pinned.extend(output_pins);
        let key = format!("{dir}#outputs");
        let analysis = cached(ws, cache, &key, dir, &providers, |module| ModuleAnalysis {
            key: dir.clone(),
            module,
            findings: caller.findings.clone(),
            stale: caller.stale.clone(),
            call: None,
        });
        replaced.insert(dir.clone(), analysis);
    }
    let mut out: Vec<Arc<ModuleAnalysis>> = analyses
        .into_iter()
        .map(|m| replaced.get(&m.key).cloned().unwrap_or(m))
        .collect();
    out.extend(instances);
    out
}

#[cfg(test)]
mod tests {
    use super::child_dir;

    #[test]
    fn sources_join_the_caller_folder() {
        assert_eq!(
            child_dir("infra", "./modules/b").as_deref(),
            Some("infra/modules/b")
        );
        assert_eq!(
            child_dir("examples/complete", "../../").as_deref(),
            Some("")
        );
        assert_eq!(child_dir("", "../x"), None);
    }
}
