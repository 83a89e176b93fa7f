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
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return (error.errors ?? [{ instancePath: "", message: error.message }]).map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
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
