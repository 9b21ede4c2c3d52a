// The E2E test program: declares the resources listed in the stack config `resources`, as a user's
// program would, from the installed package. An arg given as {"secret": "<config key>"} is read
// with requireSecret; an arg given as {"ref": "<resource name>.<output>"} is that output of a resource
// declared before it (a pipeline's ids); an arg given as {"lookup": {"fn": "getDataset", "args": {…}, "field": "id"}}
// is that field of the function's Output form, as a program writes `getDatasetOutput({ name }).id`; a map arg
// (a Connection's secretParams) may hold {"secret": "<config key>"} members, each read with requireSecret. Each
// resource's outputs become a stack output named after it.
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");

const config = new pulumi.Config();
const declared = config.getObject("resources") || [];
const ids = {};

const made = {};
for (const r of declared) {
  const args = {};
  for (const [key, value] of Object.entries(r.args || {})) {
    if (value && typeof value === "object" && typeof value.ref === "string") {
      const [name, output] = value.ref.split(".");
      args[key] = made[name][output];
    } else if (value && typeof value === "object" && value.lookup) {
      const { fn, args: lookupArgs, field } = value.lookup;
      args[key] = aep[`${fn}Output`](lookupArgs || {})[field];
    } else if (value && typeof value === "object" && typeof value.secret === "string") args[key] = config.requireSecret(value.secret);
    else if (value && typeof value === "object" && !Array.isArray(value) && Object.values(value).some((m) => m && typeof m === "object" && typeof m.secret === "string")) {
      args[key] = Object.fromEntries(Object.entries(value).map(([k, m]) => [k, m && typeof m === "object" && typeof m.secret === "string" ? config.requireSecret(m.secret) : m]));
    } else args[key] = value;
  }
  const opts = {};
  if (r.retainOnDelete) opts.retainOnDelete = true;
  if (r.import) opts.import = r.import;
  const resource = new aep[r.type](r.name, args, opts);
  made[r.name] = resource;
  const outputs = { id: resource.id, etag: resource.etag, name: resource.name, sandbox: resource.sandbox, state: resource.state };
  if (r.type === "StreamingConnection") Object.assign(outputs, { inletUrl: resource.inletUrl, inletId: resource.inletId, sourceId: resource.sourceId });
  if (r.type === "Connection") Object.assign(outputs, { connectionSpecId: resource.connectionSpecId });
  if (r.type === "MappingSet") Object.assign(outputs, { version: resource.version });
  if (r.type === "Dataflow") Object.assign(outputs, { enabled: resource.enabled, flowSpecId: resource.flowSpecId, mappingVersion: resource.mappingVersion });
  exports[r.name] = outputs;
  ids[r.name] = resource.id;
}

// Functions, from the stack config `lookups`: [{fn, args, output}], called in their Output form; an arg
// {"idOf": "<resource name>"} is that resource's id. Each result becomes the stack output `output`.
for (const l of config.getObject("lookups") || []) {
  const args = {};
  for (const [key, value] of Object.entries(l.args || {})) {
    args[key] = value && typeof value === "object" && typeof value.idOf === "string" ? ids[value.idOf] : value;
  }
  exports[l.output] = aep[`${l.fn}Output`](args);
}
