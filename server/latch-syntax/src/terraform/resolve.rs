//! Reference resolution across the files of one module folder.
//!
//! [`Index`] knows every resource, data source, local and variable of the module, and
//! [`Index::eval`] turns an expression into a [`TfValue`]: literals as they are, references
//! followed (`local.x`, `var.x` with a default, `aws_s3_bucket.b.arn`, the account of a
//! provider through [`ProviderAccounts`]), templates joined. What cannot be known before
//! `terraform apply` (a KMS key id, a variable without a default, the result of a function
//! latch does not compute) becomes [`TfValue::Symbolic`] with its text and the reason, and
//! is never guessed.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::span::{Span, Spanned};
use crate::terraform::ast::*;
use crate::terraform::syntax::TfFile;

/// `latch.toml`'s `[providers]`, resolved to account ids: provider configuration (`aws`,
/// `aws.prod`) to 12-digit account id. Also the partition used to synthesize ARNs of
/// resources Terraform creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderAccounts {
    pub accounts: BTreeMap<String, String>,
    /// `aws` unless set (`aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// Values known from outside Terraform's configuration, by reference:
    /// `aws_kms_key.k.arn` or `aws_vpc_endpoint.s3.id` pinned in `latch.toml`. They win
    /// over what latch would derive, and turn unknowns into known values.
    pub pinned: BTreeMap<String, String>,
}

impl Default for ProviderAccounts {
    fn default() -> Self {
        ProviderAccounts {
            accounts: BTreeMap::new(),
            partition: "aws".to_string(),
            pinned: BTreeMap::new(),
        }
    }
}

impl ProviderAccounts {
    /// From `(provider, account id)` pairs, in the `aws` partition.
    pub fn new<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> ProviderAccounts {
        ProviderAccounts {
            accounts: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..ProviderAccounts::default()
        }
    }

    /// Pins the value of a reference such as `aws_kms_key.k.arn`.
    pub fn pin(mut self, reference: impl Into<String>, value: impl Into<String>) -> Self {
        self.pinned.insert(reference.into(), value.into());
        self
    }

    /// Pins every known string attribute of the root module's resources in a plan
    /// ([`crate::terraform::analyze_plan`]), so that analyzing the configuration with these
    /// accounts replaces unknowns with the plan's values while spans stay in the `.tf` files.
    pub fn pin_plan(mut self, plan: &crate::terraform::Module) -> Self {
        for r in &plan.resources {
            if r.address.starts_with("module.") {
                continue;
            }
            for a in &r.body.attributes {
                if let TfValue::String(v) = &a.value.value {
                    self.pinned
                        .insert(format!("{}.{}", r.address, a.key.value), v.clone());
                }
            }
        }
        self
    }

    /// A pinned value for `address.attr`; a KMS key's id follows from its pinned ARN.
    fn pinned_value(&self, address: &str, attr: &str) -> Option<String> {
        if let Some(v) = self.pinned.get(&format!("{address}.{attr}")) {
            return Some(v.clone());
        }
        if address.starts_with("aws_kms_key.") && matches!(attr, "key_id" | "id") {
            let arn = self.pinned.get(&format!("{address}.arn"))?;
            return arn.rsplit_once("key/").map(|(_, id)| id.to_string());
        }
        None
    }

    pub fn account(&self, provider: &str) -> Option<&str> {
        self.accounts.get(provider).map(String::as_str)
    }
}

/// A value Terraform would compute, as far as it can be known without running it.
#[derive(Clone, Debug, PartialEq)]
pub enum TfValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<Spanned<TfValue>>),
    Object(Vec<(Spanned<String>, Spanned<TfValue>)>),
    /// Not known before apply (or not computed by latch).
    Symbolic(Symbol),
}

/// A value that stays unknown: `text` is what to show in its place (`${var.partner}`, or a
/// string with the unknown parts left as `${...}`), `reason` says why, for messages like
/// "allowed if `${var.partner}` is 111122223333".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub text: String,
    pub reason: String,
}

impl TfValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            TfValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_known(&self) -> bool {
        match self {
            TfValue::Symbolic(_) => false,
            TfValue::List(items) => items.iter().all(|i| i.value.is_known()),
            TfValue::Object(items) => items.iter().all(|(_, v)| v.value.is_known()),
            _ => true,
        }
    }

    /// The value as text inside a string: scalars as written, unknowns as their symbol
    /// text; `None` for lists and objects.
    pub fn string_text(&self) -> Option<String> {
        match self {
            TfValue::String(s) => Some(s.clone()),
            TfValue::Number(n) => Some(n.clone()),
            TfValue::Bool(b) => Some(b.to_string()),
            TfValue::Symbolic(s) => Some(s.text.clone()),
            TfValue::Null | TfValue::List(_) | TfValue::Object(_) => None,
        }
    }

    fn symbolic(text: impl Into<String>, reason: impl Into<String>) -> TfValue {
        TfValue::Symbolic(Symbol {
            text: text.into(),
            reason: reason.into(),
        })
    }

    /// Gives this value and everything inside it the span `span` (a value reached through
    /// a reference is reported where the reference is written).
    pub fn respan(self, span: Span) -> Spanned<TfValue> {
        let v = match self {
            TfValue::List(items) => {
                TfValue::List(items.into_iter().map(|i| i.value.respan(span)).collect())
            }
            TfValue::Object(items) => TfValue::Object(
                items
                    .into_iter()
                    .map(|(k, v)| (Spanned::new(k.value, span), v.value.respan(span)))
                    .collect(),
            ),
            other => other,
        };
        Spanned::new(v, span)
    }
}

/// Where a block lives: the index of its file in the module and the block.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a, T> {
    pub file: usize,
    pub item: &'a T,
}

/// Deep enough for any real chain of locals; deeper means a cycle.
const MAX_DEPTH: usize = 24;

/// Everything a module defines, by name.
pub struct Index<'a> {
    pub files: &'a [TfFile],
    /// `aws_s3_bucket.b` and `data.aws_iam_policy_document.d` to their block.
    pub resources: HashMap<String, Located<'a, Block>>,
    pub locals: HashMap<String, Located<'a, Attribute>>,
    pub variables: HashMap<String, Located<'a, Block>>,
    /// Values set in the folder's `terraform.tfvars` and `*.auto.tfvars` files.
    pub tfvars: HashMap<String, Located<'a, Attribute>>,
    pub providers: &'a ProviderAccounts,
    /// The module folder, workspace-relative (`""` for the root), for `path.module`.
    pub module_dir: String,
    /// Locals already evaluated (`None` while one is being evaluated, which detects
    /// cycles). Without it, locals that use each other twice would be evaluated an
    /// exponential number of times.
    local_cache: RefCell<HashMap<String, Option<TfValue>>>,
}

impl<'a> Index<'a> {
    pub fn new(files: &'a [TfFile], providers: &'a ProviderAccounts, module_dir: &str) -> Self {
        let mut index = Index {
            files,
            resources: HashMap::new(),
            locals: HashMap::new(),
            variables: HashMap::new(),
            tfvars: HashMap::new(),
            providers,
            module_dir: module_dir.to_string(),
            local_cache: RefCell::new(HashMap::new()),
        };
        for (fi, f) in files.iter().enumerate() {
            for b in &f.blocks {
                match b.ident.value.as_str() {
                    "resource" if b.labels.len() == 2 => {
                        index
                            .resources
                            .entry(format!("{}.{}", b.label(0), b.label(1)))
                            .or_insert(Located { file: fi, item: b });
                    }
                    "data" if b.labels.len() == 2 => {
                        index
                            .resources
                            .entry(format!("data.{}.{}", b.label(0), b.label(1)))
                            .or_insert(Located { file: fi, item: b });
                    }
                    "variable" if b.labels.len() == 1 => {
                        index
                            .variables
                            .entry(b.label(0).to_string())
                            .or_insert(Located { file: fi, item: b });
                    }
                    crate::terraform::syntax::TFVARS => {
                        for a in &b.attributes {
                            // `*.auto.tfvars` load after `terraform.tfvars` and win.
                            index
                                .tfvars
                                .insert(a.key.value.clone(), Located { file: fi, item: a });
                        }
                    }
                    "locals" => {
                        for a in &b.attributes {
                            index
                                .locals
                                .entry(a.key.value.clone())
                                .or_insert(Located { file: fi, item: a });
                        }
                    }
                    _ => {}
                }
            }
        }
        index
    }

    /// The provider configuration of a resource block: its `provider` attribute, else the
    /// default configuration of its type's provider (`aws`).
    pub fn provider_of(block: &Block) -> String {
        if let Some(p) = block.attr("provider") {
            if let Some(r) = p.value.reference_text() {
                return r;
            }
            if let Some(s) = p.value.as_str() {
                return s.to_string();
            }
        }
        let ty = block.label(0);
        ty.split('_').next().unwrap_or(ty).to_string()
    }

    /// Whether a resource or data block makes no instance: `count` is known to be 0, or
    /// `for_each` is known to be empty. An unknown `count` means "maybe present".
    pub fn absent(&self, file: usize, b: &Block) -> bool {
        if let Some(c) = b.attr("count") {
            if let TfValue::Number(n) = self.eval(file, &c.value).value {
                return n.parse::<f64>().is_ok_and(|n| n == 0.0);
            }
        }
        if let Some(f) = b.attr("for_each") {
            return match self.eval(file, &f.value).value {
                TfValue::List(items) => items.is_empty(),
                TfValue::Object(items) => items.is_empty(),
                _ => false,
            };
        }
        false
    }

    /// Evaluates `e`, written in the module's file number `file`, as far as it can be known.
    pub fn eval(&self, file: usize, e: &Expr) -> Spanned<TfValue> {
        self.eval_at(file, e, 0)
    }

    pub(crate) fn eval_at(&self, file: usize, e: &Expr, depth: usize) -> Spanned<TfValue> {
        if depth > MAX_DEPTH {
            return Spanned::new(
                TfValue::symbolic(self.source(file, e), "the references form a cycle"),
                e.span,
            );
        }
        let v = match &e.kind {
            ExprKind::Null => TfValue::Null,
            ExprKind::Bool(b) => TfValue::Bool(*b),
            ExprKind::Number(n) => TfValue::Number(n.clone()),
            ExprKind::String(s) => TfValue::String(s.clone()),
            ExprKind::List(items) => TfValue::List(
                items
                    .iter()
                    .map(|i| self.eval_at(file, i, depth + 1))
                    .collect(),
            ),
            ExprKind::Object(items) => TfValue::Object(
                items
                    .iter()
                    .map(|i| {
                        let key = match &i.key_expr {
                            Some(k) => match self.eval_at(file, k, depth + 1).value.string_text() {
                                Some(t) => Spanned::new(t, i.key.span),
                                None => i.key.clone(),
                            },
                            None => i.key.clone(),
                        };
                        (key, self.eval_at(file, &i.value, depth + 1))
                    })
                    .collect(),
            ),
            ExprKind::Template(t) => self.template(file, t, depth),
            ExprKind::Reference(parts) => {
                return self.reference(parts, depth).respan(e.span);
            }
            ExprKind::Call { name, args } => self.call(file, e, name, args, depth),
            ExprKind::Conditional { cond, then, other } => {
                match self.eval_at(file, cond, depth + 1).value {
                    TfValue::Bool(true) => return self.eval_at(file, then, depth + 1),
                    TfValue::Bool(false) => return self.eval_at(file, other, depth + 1),
                    _ => TfValue::symbolic(
                        format!("${{{}}}", self.source(file, e)),
                        "the condition is only known when Terraform runs",
                    ),
                }
            }
            ExprKind::For { .. } => TfValue::symbolic(
                format!("${{{}}}", self.source(file, e)),
                "a `for` expression over values known when Terraform runs",
            ),
            ExprKind::Other => TfValue::symbolic(
                format!("${{{}}}", self.source(file, e)),
                "latch does not evaluate this expression",
            ),
        };
        Spanned::new(v, e.span)
    }

    /// The source text of `e`, found through the span in any of the module's files.
    pub(crate) fn source(&self, file: usize, e: &Expr) -> String {
        if let Some(r) = e.reference_text() {
            return r;
        }
        self.files
            .get(file)
            .and_then(|f| f.text.get(e.span.range()))
            .map_or_else(|| "expression".to_string(), |t| t.trim().to_string())
    }

    fn template(&self, file: usize, t: &Template, depth: usize) -> TfValue {
        let mut out = String::new();
        let mut reasons: Vec<String> = Vec::new();
        for p in &t.parts {
            match p {
                TemplatePart::Literal { value, .. } => out.push_str(value),
                TemplatePart::Interpolation { expr, .. } => {
                    match self.eval_at(file, expr, depth + 1).value {
                        TfValue::Symbolic(s) => {
                            if s.text.contains("${") {
                                out.push_str(&s.text);
                            } else {
                                let _ = write!(out, "${{{}}}", s.text);
                            }
                            if !reasons.contains(&s.reason) {
                                reasons.push(s.reason);
                            }
                        }
                        v => match v.string_text() {
                            Some(text) => out.push_str(&text),
                            None => {
                                out.push_str("${...}");
                                reasons.push("a list or object inside a string".to_string());
                            }
                        },
                    }
                }
                TemplatePart::Directive { .. } => {
                    out.push_str("%{...}");
                    let r = "template directives are not evaluated by latch".to_string();
                    if !reasons.contains(&r) {
                        reasons.push(r);
                    }
                }
            }
        }
        if reasons.is_empty() {
            TfValue::String(out)
        } else {
            TfValue::symbolic(out, reasons.join("; "))
        }
    }

    fn call(&self, file: usize, e: &Expr, name: &str, args: &[Expr], depth: usize) -> TfValue {
        let vals: Vec<Spanned<TfValue>> = args
            .iter()
            .map(|a| self.eval_at(file, a, depth + 1))
            .collect();
        let unknown = || {
            TfValue::symbolic(
                format!("${{{}}}", self.source(file, e)),
                format!("latch does not compute `{name}(...)`"),
            )
        };
        match name {
            "tolist" | "toset" | "tostring" | "tonumber" | "tobool" | "tomap" | "sensitive"
            | "nonsensitive"
                if vals.len() == 1 =>
            {
                vals.into_iter().next().map_or_else(unknown, |v| v.value)
            }
            "concat" => {
                let mut out = Vec::new();
                for v in vals {
                    match v.value {
                        TfValue::List(items) => out.extend(items),
                        _ => return unknown(),
                    }
                }
                TfValue::List(out)
            }
            "flatten" => {
                fn flat(v: Spanned<TfValue>, out: &mut Vec<Spanned<TfValue>>) {
                    match v.value {
                        TfValue::List(items) => items.into_iter().for_each(|i| flat(i, out)),
                        _ => out.push(v),
                    }
                }
                let mut out = Vec::new();
                vals.into_iter().for_each(|v| flat(v, &mut out));
                TfValue::List(out)
            }
            "lower" | "upper" if vals.len() == 1 => match vals[0].value.as_str() {
                Some(s) if name == "lower" => TfValue::String(s.to_lowercase()),
                Some(s) => TfValue::String(s.to_uppercase()),
                None => unknown(),
            },
            "join" if vals.len() == 2 => match (&vals[0].value, &vals[1].value) {
                (TfValue::String(sep), TfValue::List(items)) => {
                    let parts: Option<Vec<String>> = items
                        .iter()
                        .map(|i| match &i.value {
                            TfValue::Symbolic(_) => None,
                            v => v.string_text(),
                        })
                        .collect();
                    parts.map_or_else(unknown, |p| TfValue::String(p.join(sep)))
                }
                _ => unknown(),
            },
            "format" if !vals.is_empty() => format_call(&vals).unwrap_or_else(unknown),
            "compact" if vals.len() == 1 => match &vals[0].value {
                TfValue::List(items) if items.iter().all(|i| i.value.is_known()) => TfValue::List(
                    items
                        .iter()
                        .filter(|i| {
                            !matches!(&i.value, TfValue::Null) && i.value.as_str() != Some("")
                        })
                        .cloned()
                        .collect(),
                ),
                _ => unknown(),
            },
            "merge" => {
                let mut out: Vec<(Spanned<String>, Spanned<TfValue>)> = Vec::new();
                for v in vals {
                    match v.value {
                        TfValue::Object(items) => {
                            for (k, val) in items {
                                out.retain(|(o, _)| o.value != k.value);
                                out.push((k, val));
                            }
                        }
                        TfValue::Null => {}
                        _ => return unknown(),
                    }
                }
                TfValue::Object(out)
            }
            "lookup" if vals.len() >= 2 => match (&vals[0].value, vals[1].value.as_str()) {
                (TfValue::Object(items), Some(key)) => {
                    match items.iter().find(|(k, _)| k.value == key) {
                        Some((_, v)) => v.value.clone(),
                        None => vals.get(2).map_or_else(unknown, |d| d.value.clone()),
                    }
                }
                _ => unknown(),
            },
            // `try(a, b)` is `a` when `a` evaluates; latch cannot tell whether an unknown
            // `a` fails, so the result is unknown then.
            "try" if !vals.is_empty() && vals[0].value.is_known() => vals[0].value.clone(),
            "coalesce" if !vals.is_empty() => vals
                .iter()
                .find(|v| !matches!(v.value, TfValue::Null) && v.value.as_str() != Some(""))
                .filter(|v| v.value.is_known())
                .map_or_else(unknown, |v| v.value.clone()),
            "replace" if vals.len() == 3 => replace_call(&vals).unwrap_or_else(unknown),
            "jsonencode" if vals.len() == 1 && vals[0].value.is_known() => {
                TfValue::String(to_json(&vals[0].value))
            }
            _ => unknown(),
        }
    }

    fn local(&self, name: &str, file: usize, e: &Expr, depth: usize) -> TfValue {
        let cached = self.local_cache.borrow().get(name).cloned();
        match cached {
            Some(Some(v)) => v,
            Some(None) => TfValue::symbolic(
                format!("${{local.{name}}}"),
                format!("`local.{name}` refers to itself"),
            ),
            None => {
                self.local_cache.borrow_mut().insert(name.to_string(), None);
                let v = self.eval_at(file, e, depth + 1).value;
                self.local_cache
                    .borrow_mut()
                    .insert(name.to_string(), Some(v.clone()));
                v
            }
        }
    }

    /// Follows a reference. The result's spans are fixed by the caller.
    fn reference(&self, parts: &[String], depth: usize) -> TfValue {
        let text = parts.join(".");
        let sym = |reason: String| TfValue::symbolic(format!("${{{text}}}"), reason);
        let p: Vec<&str> = parts.iter().map(String::as_str).collect();
        match p.as_slice() {
            // A module input is what its caller or a `.tfvars` file sets; its default is
            // only what Terraform uses when nothing does, so it is never taken as the value.
            // A caller in the workspace passes it (`module` blocks followed per call).
            ["var", name, rest @ ..]
                if self.providers.pinned.contains_key(&format!("var.{name}")) =>
            {
                let v = self
                    .providers
                    .pinned
                    .get(&format!("var.{name}"))
                    .cloned()
                    .unwrap_or_default();
                index_into(TfValue::String(v), rest, &text)
            }
            ["var", name, rest @ ..] => match self.tfvars.get(*name) {
                Some(a) => index_into(
                    self.eval_at(a.file, &a.item.value, depth + 1).value,
                    rest,
                    &text,
                ),
                None if self.variables.contains_key(*name) => sym(format!(
                    "`var.{name}` is an input of the module; its value comes from outside the module"
                )),
                None => sym(format!("`var.{name}` is not declared in this module")),
            },
            ["local", name, rest @ ..] => match self.locals.get(*name) {
                Some(l) => index_into(self.local(name, l.file, &l.item.value, depth), rest, &text),
                None => sym(format!("`local.{name}` is not defined in this module")),
            },
            ["path", "module" | "root" | "cwd"] => TfValue::String(if self.module_dir.is_empty() {
                ".".to_string()
            } else {
                self.module_dir.clone()
            }),
            ["module", name, output, rest @ ..]
                if self
                    .providers
                    .pinned
                    .contains_key(&format!("module.{name}.{output}")) =>
            {
                let v = self
                    .providers
                    .pinned
                    .get(&format!("module.{name}.{output}"))
                    .cloned()
                    .unwrap_or_default();
                index_into(TfValue::String(v), rest, &text)
            }
            ["module", name, ..] => sym(format!(
                "the output of module `{name}` is not known from the workspace"
            )),
            ["data", ty, name, rest @ ..] => {
                let address = format!("data.{ty}.{name}");
                match self.resources.get(&address) {
                    Some(r) => {
                        let rest = skip_instance_key(r.item, rest);
                        self.data_attr(r.file, r.item, ty, &address, rest, depth, &text)
                    }
                    None => sym(format!("`{address}` is not defined in this module")),
                }
            }
            [ty, name, rest @ ..] if ty.contains('_') => {
                let address = format!("{ty}.{name}");
                match self.resources.get(&address) {
                    Some(r) => {
                        let rest = skip_instance_key(r.item, rest);
                        self.resource_attr(r.file, r.item, ty, &address, rest, depth, &text)
                    }
                    None => sym(format!("`{address}` is not defined in this module")),
                }
            }
            _ => sym(format!("`{text}` is only known while Terraform runs")),
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the reference and its context, split for reuse"
    )]
    fn data_attr(
        &self,
        file: usize,
        b: &Block,
        ty: &str,
        address: &str,
        rest: &[&str],
        depth: usize,
        text: &str,
    ) -> TfValue {
        let sym = |reason: String| TfValue::symbolic(format!("${{{text}}}"), reason);
        let provider = Index::provider_of(b);
        if let Some((attr, more)) = rest.split_first() {
            if let Some(v) = self.providers.pinned_value(address, attr) {
                return index_into(TfValue::String(v), more, text);
            }
        }
        match (ty, rest) {
            ("aws_caller_identity", ["account_id"]) => match self.providers.account(&provider) {
                Some(acct) => TfValue::String(acct.to_string()),
                None => sym(format!(
                    "the account of provider `{provider}` is not set in latch.toml `[providers]`"
                )),
            },
            ("aws_partition", ["partition"]) => TfValue::String(self.providers.partition.clone()),
            ("aws_iam_policy_document", ["json" | "minified_json"]) => {
                let doc = crate::terraform::document::synthesize(self, file, b, depth + 1);
                TfValue::String(doc.tree.to_compact_json())
            }
            (_, [attr, more @ ..]) => match b.attr(attr) {
                Some(a) => index_into(self.eval_at(file, &a.value, depth + 1).value, more, text),
                None => sym(format!("`{address}` is read from AWS when Terraform runs")),
            },
            _ => sym(format!("`{address}` is read from AWS when Terraform runs")),
        }
    }

    /// The attributes AWS assigns that can be derived from the configuration: names, and
    /// ARNs built from a name, the provider's account and the partition.
    #[expect(
        clippy::too_many_arguments,
        reason = "the reference and its context, split for reuse"
    )]
    fn resource_attr(
        &self,
        file: usize,
        b: &Block,
        ty: &str,
        address: &str,
        rest: &[&str],
        depth: usize,
        text: &str,
    ) -> TfValue {
        let sym = |reason: String| TfValue::symbolic(format!("${{{text}}}"), reason);
        let Some((attr, more)) = rest.split_first() else {
            return sym(format!("`{address}` is a whole resource, not a value"));
        };
        if let Some(v) = self.providers.pinned_value(address, attr) {
            return index_into(TfValue::String(v), more, text);
        }
        let config = |key: &str| {
            b.attr(key)
                .map(|a| self.eval_at(file, &a.value, depth + 1).value)
        };
        let partition = &self.providers.partition;
        let provider = Index::provider_of(b);
        let account = self.providers.account(&provider);
        let no_account = || {
            sym(format!(
                "the account of provider `{provider}` is not set in latch.toml `[providers]`"
            ))
        };
        let name_of = |key: &str, what: &str| match config(key) {
            // A null argument is absent: Terraform picks the name.
            Some(v) if v != TfValue::Null => v,
            _ => sym(format!(
                "the {what} of `{address}` is chosen by Terraform when it is created"
            )),
        };
        let iam_arn = |kind: &str| {
            let name = name_of("name", "name");
            let path = match config("path") {
                Some(TfValue::String(p)) => p,
                Some(_) => return sym(format!("the path of `{address}` is not known")),
                None => "/".to_string(),
            };
            match (name, account) {
                (TfValue::String(n), Some(acct)) => {
                    TfValue::String(format!("arn:{partition}:iam::{acct}:{kind}{path}{n}"))
                }
                (TfValue::String(_), None) => no_account(),
                (TfValue::Symbolic(s), Some(acct)) => TfValue::Symbolic(Symbol {
                    text: format!("arn:{partition}:iam::{acct}:{kind}{path}{}", s.text),
                    reason: s.reason,
                }),
                (TfValue::Symbolic(_), None) => no_account(),
                (other, _) => other,
            }
        };
        let value = match (ty, *attr) {
            ("aws_s3_bucket", "id" | "bucket") => name_of("bucket", "name"),
            ("aws_s3_bucket", "arn") => match name_of("bucket", "name") {
                TfValue::String(n) => TfValue::String(format!("arn:{partition}:s3:::{n}")),
                // An ARN whose name is unknown is still an ARN.
                TfValue::Symbolic(s) => TfValue::Symbolic(Symbol {
                    text: format!("arn:{partition}:s3:::{}", s.text),
                    reason: s.reason,
                }),
                other => other,
            },
            ("aws_iam_role", "arn") => iam_arn("role"),
            ("aws_iam_user", "arn") => iam_arn("user"),
            ("aws_iam_group", "arn") => iam_arn("group"),
            ("aws_iam_policy", "arn" | "id") => iam_arn("policy"),
            ("aws_iam_role" | "aws_iam_user" | "aws_iam_group", "id" | "name") => {
                name_of("name", "name")
            }
            ("aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy", "name") => {
                name_of("name", "name")
            }
            ("aws_kms_key", "arn" | "key_id" | "id") => sym(format!(
                "the key id of `{address}` is assigned by AWS when the key is created"
            )),
            (_, "arn" | "id" | "unique_id" | "iam_arn" | "key_id") => match config(attr) {
                Some(v) if v != TfValue::Null => v,
                _ => sym(format!("`{text}` is assigned by AWS when it is created")),
            },
            _ => match config(attr) {
                Some(v) if v != TfValue::Null => v,
                _ => sym(format!("`{text}` is only known after apply")),
            },
        };
        index_into(value, more, text)
    }
}

/// `aws_iam_role.r[0].arn` and `aws_iam_role.r["a"].arn`: the instance key of a resource
/// with `count` or `for_each` is dropped; the attributes that depend on `count.index` or
/// `each` stay unknown by themselves.
pub(crate) fn skip_instance_key<'s>(block: &Block, rest: &'s [&'s str]) -> &'s [&'s str] {
    let repeated = block.attr("count").is_some() || block.attr("for_each").is_some();
    match rest.split_first() {
        Some((_, more)) if repeated && !more.is_empty() => more,
        Some((first, more)) if first.chars().all(|c| c.is_ascii_digit()) => more,
        _ => rest,
    }
}

/// `value[rest...]`: list indexes and object keys.
fn index_into(value: TfValue, rest: &[&str], text: &str) -> TfValue {
    let Some((first, more)) = rest.split_first() else {
        return value;
    };
    let next = match value {
        TfValue::List(items) => first
            .parse::<usize>()
            .ok()
            .and_then(|i| items.into_iter().nth(i))
            .map(|v| v.value),
        TfValue::Object(items) => items
            .into_iter()
            .find(|(k, _)| k.value == *first)
            .map(|(_, v)| v.value),
        s @ TfValue::Symbolic(_) => return s,
        _ => None,
    };
    match next {
        Some(v) => index_into(v, more, text),
        None => TfValue::symbolic(
            format!("${{{text}}}"),
            format!("`{text}` does not name a value in the configuration"),
        ),
    }
}

/// `format("arn:aws:s3:::%s/*", x)` with `%s` and `%d` only.
fn format_call(vals: &[Spanned<TfValue>]) -> Option<TfValue> {
    let fmt = vals.first()?.value.as_str()?;
    let mut args = vals[1..].iter();
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => match &args.next()?.value {
                TfValue::Symbolic(_) => return None,
                v => out.push_str(&v.string_text()?),
            },
            _ => return None,
        }
    }
    Some(TfValue::String(out))
}

/// `replace(s, "literal", r)`: a regular expression (`/.../`) is not evaluated. With `r`
/// unknown, the result keeps its symbol text where each match was.
fn replace_call(vals: &[Spanned<TfValue>]) -> Option<TfValue> {
    let (s, sub) = (vals.first()?, vals.get(1)?.value.as_str()?);
    if sub.is_empty() || (sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/')) {
        return None;
    }
    let rep = &vals.get(2)?.value;
    match (&s.value, rep) {
        (TfValue::String(text), TfValue::String(r)) => Some(TfValue::String(text.replace(sub, r))),
        (TfValue::String(text), TfValue::Symbolic(r)) if text.contains(sub) => {
            Some(TfValue::Symbolic(Symbol {
                text: text.replace(sub, &r.text),
                reason: r.reason.clone(),
            }))
        }
        (TfValue::String(text), _) if !text.contains(sub) => Some(s.value.clone()),
        _ => None,
    }
}

/// Renders a known value as compact JSON, as `jsonencode` would (keys in source order).
pub fn to_json(v: &TfValue) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &TfValue, out: &mut String) {
    match v {
        TfValue::Null => out.push_str("null"),
        TfValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        TfValue::Number(n) => out.push_str(n),
        TfValue::String(s) => crate::json::tree::write_json_string(s, out),
        TfValue::Symbolic(s) => crate::json::tree::write_json_string(&s.text, out),
        TfValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(&item.value, out);
            }
            out.push(']');
        }
        TfValue::Object(items) => {
            out.push('{');
            for (i, (k, item)) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::json::tree::write_json_string(&k.value, out);
                out.push(':');
                write_json(&item.value, out);
            }
            out.push('}');
        }
    }
}
