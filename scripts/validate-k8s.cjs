// Validates Kubernetes objects offline against the OpenAPI schemas that the pinned npm packages ship
// (kubernetes-models: core Kubernetes 1.33, a superset of 1.30 for the kinds the chart uses;
// @kubernetes-models/prometheus-operator: the monitoring.coreos.com CRDs). Reads a YAML stream (helm template's
// output) from stdin, or with --json a JSON object of named YAML streams, and prints one JSON line per object:
// {"stream","kind","apiVersion","name","errors":[...]}. Exits 1 when any object is invalid or of a kind no package
// knows. Used by tests/RAOrchestrator.Deploy.Tests:
//   helm template rel helm/raorchestrator -f helm/raorchestrator/ci/example-values.yaml | node scripts/validate-k8s.cjs
"use strict";
const fs = require("node:fs");
const YAML = require("yaml");

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return `kubernetes-models/${group === "" ? "" : group + "/"}${version}/${kind}`;
}

function validate(object) {
  const { apiVersion, kind } = object ?? {};
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind are required"];
  let Model;
  try {
    Model = require(modelPath(apiVersion, kind))[kind];
  } catch {
    return [`no schema for ${apiVersion} ${kind}`];
  }
  // The schemas allow fields they do not name (the API server's strict field validation does not): the validator
  // runs on a proxy that records every field it reads, and a field it never read is one the schema does not have.
  const read = new Set();
  try {
    Model.prototype.validate.call(recording(object, "", read));
  } catch (error) {
    return (error.errors ?? [{ instancePath: "", message: error.message }]).map((e) => `${e.instancePath || "/"} ${e.message}`);
  }
  const unknown = [];
  unread(object, "", read, unknown);
  return unknown;
}

function recording(value, path, read) {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value, {
    get(target, property, receiver) {
      const child = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || !Object.prototype.hasOwnProperty.call(target, property)) return child;
      read.add(`${path}/${property}`);
      return recording(child, `${path}/${property}`, read);
    },
  });
}

function unread(value, path, read, unknown) {
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (read.has(childPath)) unread(child, childPath, read, unknown);
    else unknown.push(`${childPath} is not a field of ${path === "" ? "the object" : path}`);
  }
}

const input = fs.readFileSync(0, "utf8");
const streams = process.argv.includes("--json") ? JSON.parse(input) : { stdin: input };
let failed = false;
for (const [stream, text] of Object.entries(streams)) {
  for (const document of YAML.parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      failed = true;
      console.log(JSON.stringify({ stream, errors: document.errors.map((e) => e.message) }));
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    const errors = validate(object);
    failed ||= errors.length > 0;
    console.log(JSON.stringify({ stream, kind: object.kind, apiVersion: object.apiVersion, name: object.metadata?.name, errors }));
  }
}
process.exit(failed ? 1 : 0);
