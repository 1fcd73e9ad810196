// Tests of the JSON Schema for IAM policy documents (grammar/iam-policy.schema.json) with a
// draft-07 validator, the way a JSON language server would use it: real policies validate,
// the structural mistakes AWS rejects do not.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

import Ajv from "ajv";

const REPO = resolve(__dirname, "..", "..", "..", "..");
const schema = JSON.parse(readFileSync(join(REPO, "grammar", "iam-policy.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function ok(doc: unknown): void {
  assert.equal(validate(doc), true, JSON.stringify(validate.errors));
}

function bad(doc: unknown, where: RegExp): void {
  assert.equal(validate(doc), false, "the schema accepted an invalid policy");
  const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`).join("; ");
  assert.match(paths, where);
}

const stmt = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };

test("the grammar sample policy and the usual shapes validate", () => {
  ok(JSON.parse(readFileSync(join(REPO, "grammar", "tests", "policy.json"), "utf8")));
  ok({ Version: "2012-10-17", Statement: stmt });
  ok({ Statement: [{ ...stmt, Principal: "*" }] });
  ok({ Statement: [{ ...stmt, Principal: { AWS: ["111122223333", "arn:aws:iam::111122223333:root"] } }] });
  ok({ Statement: [{ ...stmt, Principal: { Service: "cloudtrail.amazonaws.com" } }] });
  ok({ Statement: [{ Effect: "Deny", NotAction: ["iam:*", "s3:Get*"], NotResource: "*" }] });
  ok({ Statement: [{ ...stmt, Condition: { "ForAnyValue:StringLikeIfExists": { "aws:PrincipalTag/team": ["a*"] } } }] });
  ok({ Statement: [{ ...stmt, Condition: { Bool: { "aws:SecureTransport": false }, NumericLessThan: { "s3:max-keys": 10 } } }] });
});

test("a wrong Effect, Version or operator is rejected", () => {
  bad({ Statement: [{ ...stmt, Effect: "deny" }] }, /Effect/);
  bad({ Version: "2012-10-18", Statement: stmt }, /Version/);
  bad({ Statement: [{ ...stmt, Condition: { StringEqual: { "aws:SourceVpce": "v" } } }] }, /Condition/);
});

test("structural mistakes are rejected", () => {
  bad({ Statement: [{ Action: "s3:GetObject", Resource: "*" }] }, /Effect/);
  bad({ Statement: [{ ...stmt, NotAction: "s3:PutObject" }] }, /Statement/);
  bad({ Statement: [{ ...stmt, Principal: { Aws: "*" } }] }, /Principal/);
  bad({ Statement: [{ ...stmt, Action: "s3GetObject" }] }, /Action/);
  bad({ Statement: [] }, /Statement/);
  bad({ Statement: [{ ...stmt, Efect: "Allow" }] }, /additional/);
});
