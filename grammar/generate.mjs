// Generates the two TextMate injection grammars from one set of rules, so that JSON policies
// and Terraform policies (jsonencode objects, heredoc JSON, aws_iam_policy_document blocks)
// are highlighted alike. The committed *.tmLanguage.json files are this script's output; the
// grammar tests fail when they are stale.
//
// Usage: node grammar/generate.mjs           write the grammars
//        node grammar/generate.mjs --check   exit 1 if a committed grammar differs

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Every IAM condition operator; `ForAllValues:`/`ForAnyValue:` and `IfExists` are added around them. */
const OPERATORS = [
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
  "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
  "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
  "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
  "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
];
// Longest first, so that `StringEqualsIgnoreCase` is not cut at `StringEquals`.
const OPS = [...OPERATORS].sort((a, b) => b.length - a.length).join("|");

const WILDCARD = { match: String.raw`[*?]`, name: "keyword.operator.wildcard.iam" };

/** `${aws:username}` in JSON, `$${aws:username}` and `&{aws:username}` in Terraform. */
function policyVariable(opener) {
  return {
    match: String.raw`(${opener})([^}"]*)(\})`,
    name: "meta.policy-variable.iam",
    captures: {
      1: { name: "punctuation.definition.variable.begin.iam" },
      2: { name: "variable.other.policy-variable.iam" },
      3: { name: "punctuation.definition.variable.end.iam" },
    },
  };
}

/**
 * The rules for one host language. `q` is the string scope of the host (its quoted strings
 * keep their colour under ours), `key` the lookahead that says "this string is an object
 * key" (`:` in JSON, `=` or `:` in HCL), `vars` the policy variable openers.
 */
function rules({ q, key, vars, lang, operatorValues, interpolation }) {
  // Terraform interpolations (`${var.account_id}`) inside an ARN keep the host's scopes.
  const host = interpolation === undefined ? [] : [{ include: interpolation }];
  const quote = (which) => ({ name: `${q} punctuation.definition.string.${which}.${lang}` });
  const stringCaptures = (inner) => ({ 1: quote("begin"), 2: inner, 3: quote("end") });
  const variables = vars.map(policyVariable);
  const repo = {
    effect: {
      comment: "Allow and Deny; Deny gets a scope of its own so that themes can make it stand out",
      patterns: [
        { match: String.raw`(")(Deny)(")(?!\s*${key})`, name: `${q} meta.effect.deny.iam`, captures: stringCaptures({ name: "keyword.control.deny.iam" }) },
        { match: String.raw`(")(Allow)(")(?!\s*${key})`, name: `${q} meta.effect.allow.iam`, captures: stringCaptures({ name: "constant.language.allow.iam" }) },
      ],
    },
    "condition-operator": {
      comment: "a condition operator as an object key, with its set prefix and IfExists suffix",
      patterns: [
        {
          // In Terraform an operator is also the value of `test = "..."`, so any position counts.
          match: String.raw`(")((?:ForAllValues|ForAnyValue):)?(${OPS})(IfExists)?(")${operatorValues ? "" : String.raw`(?=\s*${key})`}`,
          name: `${q} meta.condition-operator.iam`,
          captures: {
            1: quote("begin"),
            2: { name: "storage.modifier.set-operator.iam" },
            3: { name: "keyword.operator.condition.iam" },
            4: { name: "storage.modifier.if-exists.iam" },
            5: quote("end"),
          },
        },
      ],
    },
    "condition-key": {
      comment: "a condition key as an object key, or any global `aws:` key in a string",
      patterns: [
        {
          match: String.raw`(")([a-z][a-z0-9-]*)(:)([A-Za-z0-9_.:-]+)(?:(/)([^"]*))?(")(?=\s*${key})`,
          name: `${q} meta.condition-key.iam`,
          captures: {
            1: quote("begin"),
            2: { name: "entity.name.namespace.service.iam" },
            3: { name: "punctuation.separator.service.iam" },
            4: { name: "variable.other.condition-key.iam" },
            5: { name: "punctuation.separator.tag.iam" },
            6: { name: "variable.other.condition-key.tag.iam", patterns: [...variables] },
            7: quote("end"),
          },
        },
        {
          match: String.raw`(")(aws)(:)([A-Za-z0-9_.:-]+)(?:(/)([^"]*))?(")`,
          name: `${q} meta.condition-key.iam`,
          captures: {
            1: quote("begin"),
            2: { name: "entity.name.namespace.service.iam" },
            3: { name: "punctuation.separator.service.iam" },
            4: { name: "variable.other.condition-key.iam" },
            5: { name: "punctuation.separator.tag.iam" },
            6: { name: "variable.other.condition-key.tag.iam", patterns: [...variables] },
            7: quote("end"),
          },
        },
      ],
    },
    action: {
      comment: "`service:Action` with `*` and `?` wildcards, and a lone `*`",
      patterns: [
        {
          match: String.raw`(")([a-z][a-z0-9-]*)(:)([A-Z*?][A-Za-z0-9*?]*)(")(?!\s*${key})`,
          name: `${q} meta.action.iam`,
          captures: {
            1: quote("begin"),
            2: { name: "entity.name.namespace.service.iam" },
            3: { name: "punctuation.separator.service.iam" },
            4: { name: "support.function.action.iam", patterns: [WILDCARD] },
            5: quote("end"),
          },
        },
        { match: String.raw`(")(\*)(")`, name: `${q} meta.wildcard.iam`, captures: stringCaptures({ name: "keyword.operator.wildcard.iam" }) },
      ],
    },
    arn: {
      comment: "arn:partition:service:region:account:resource, each part with its own scope",
      begin: String.raw`(")(arn)(:)([a-z*-]*)(:)([a-z0-9*-]*)(:)([a-z0-9*-]*)(:)([0-9]{12}|[^:"]*)(:)`,
      beginCaptures: {
        1: quote("begin"),
        2: { name: "keyword.other.arn.iam" },
        3: { name: "punctuation.separator.arn.iam" },
        4: { name: "support.constant.partition.arn.iam", patterns: [WILDCARD] },
        5: { name: "punctuation.separator.arn.iam" },
        6: { name: "entity.name.namespace.service.iam", patterns: [WILDCARD] },
        7: { name: "punctuation.separator.arn.iam" },
        8: { name: "support.constant.region.arn.iam", patterns: [WILDCARD] },
        9: { name: "punctuation.separator.arn.iam" },
        10: { name: "constant.numeric.account.arn.iam", patterns: [...variables, ...host, WILDCARD] },
        11: { name: "punctuation.separator.arn.iam" },
      },
      end: String.raw`"`,
      endCaptures: { 0: quote("end") },
      name: `${q} meta.arn.iam`,
      contentName: "string.other.resource.arn.iam",
      patterns: [
        ...variables,
        ...host,
        WILDCARD,
        { match: String.raw`[:/]`, name: "punctuation.separator.arn.iam" },
      ],
    },
    "policy-variable": { patterns: variables },
  };
  if (lang === "hcl") {
    repo["hcl-operator-key"] = {
      comment: "an unquoted operator key in a jsonencode object: `StringEquals = {`",
      match: String.raw`\b(${OPS})(IfExists)?\b(?=\s*=(?![=>]))`,
      captures: {
        1: { name: "meta.mapping.key.hcl keyword.operator.condition.iam" },
        2: { name: "meta.mapping.key.hcl storage.modifier.if-exists.iam" },
      },
    };
    repo["hcl-condition-variable"] = {
      comment: "`variable = \"svc:key\"` in an aws_iam_policy_document condition block",
      match: String.raw`\b(variable)\s*(=)\s*(")([a-z][a-z0-9-]*)(:)([^"/]+)(?:(/)([^"]*))?(")`,
      captures: {
        1: { name: "variable.declaration.hcl variable.other.readwrite.hcl" },
        2: { name: "keyword.operator.assignment.hcl" },
        3: quote("begin"),
        4: { name: `${q} entity.name.namespace.service.iam` },
        5: { name: `${q} punctuation.separator.service.iam` },
        6: { name: `${q} variable.other.condition-key.iam` },
        7: { name: `${q} punctuation.separator.tag.iam` },
        8: { name: `${q} variable.other.condition-key.tag.iam`, patterns: [...variables] },
        9: quote("end"),
      },
    };
  }
  return repo;
}

const ORDER = ["arn", "condition-operator", "condition-key", "effect", "action", "policy-variable"];

function grammar({ scopeName, selectors, host }) {
  const repository = rules(host);
  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    comment: "Generated by grammar/generate.mjs; edit that file, not this one.",
    scopeName,
    injectionSelector: selectors.join(", "),
    patterns: [...ORDER, ...Object.keys(repository).filter((n) => !ORDER.includes(n))].map((name) => ({
      include: `#${name}`,
    })),
    repository,
  };
}

// Inside our own ARN scope the ARN rules already apply; excluding it keeps the injection from
// re-entering a string it is halfway through.
const notInside = "-comment -meta.arn.iam";

export const GRAMMARS = {
  "iam-policy.injection.tmLanguage.json": grammar({
    scopeName: "iam-policy.injection.json",
    selectors: [`L:source.json ${notInside}`, `L:source.json.comments ${notInside}`],
    host: { q: "string.quoted.double.json", key: ":", vars: [String.raw`\$\{`], lang: "json", operatorValues: false },
  }),
  "iam-policy-terraform.injection.tmLanguage.json": grammar({
    scopeName: "iam-policy.injection.terraform",
    selectors: [`L:source.hcl.terraform ${notInside}`, `L:source.hcl ${notInside}`],
    // Heredoc JSON uses `:` after keys, HCL objects use `=` (never `==` or `=>`).
    host: {
      q: "string.quoted.double.hcl",
      key: "(?::|=(?![=>]))",
      vars: [String.raw`\$\$\{`, String.raw`&\{`],
      lang: "hcl",
      operatorValues: true,
      interpolation: "source.hcl.terraform#string_interpolation",
    },
  }),
};

function render(g) {
  return `${JSON.stringify(g, null, 2)}\n`;
}

const check = process.argv.includes("--check");
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let stale = 0;
  for (const [file, g] of Object.entries(GRAMMARS)) {
    const path = join(here, file);
    if (check) {
      let current = "";
      try {
        current = readFileSync(path, "utf8");
      } catch {
        current = "";
      }
      if (current !== render(g)) {
        console.error(`grammar/${file} is stale; run \`node grammar/generate.mjs\``);
        stale += 1;
      }
    } else {
      writeFileSync(path, render(g));
    }
  }
  process.exit(stale === 0 ? 0 : 1);
}

export { render };
