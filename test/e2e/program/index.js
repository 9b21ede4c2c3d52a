// The E2E test program: declares the resources listed in the stack config `resources`, as a user's
// program would, from the installed package. An arg given as {"secret": "<config key>"} is read
// with requireSecret; an arg given as {"ref": "<resource name>.<output>"} is that output of a resource
// declared before it (a pipeline's ids). Each resource's outputs become a stack output named after it.
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");

const config = new pulumi.Config();
const declared = config.getObject("resources") || [];

const made = {};
for (const r of declared) {
  const args = {};
  for (const [key, value] of Object.entries(r.args || {})) {
    if (value && typeof value === "object" && typeof value.ref === "string") {
      const [name, output] = value.ref.split(".");
      args[key] = made[name][output];
    } else args[key] = value && typeof value === "object" && typeof value.secret === "string" ? config.requireSecret(value.secret) : value;
  }
  const opts = {};
  if (r.retainOnDelete) opts.retainOnDelete = true;
  if (r.import) opts.import = r.import;
  const resource = new aep[r.type](r.name, args, opts);
  made[r.name] = resource;
  const outputs = { id: resource.id, etag: resource.etag, name: resource.name, sandbox: resource.sandbox, state: resource.state };
  if (r.type === "StreamingConnection") Object.assign(outputs, { inletUrl: resource.inletUrl, inletId: resource.inletId, sourceId: resource.sourceId });
  if (r.type === "MappingSet") Object.assign(outputs, { version: resource.version });
  if (r.type === "Dataflow") Object.assign(outputs, { enabled: resource.enabled, flowSpecId: resource.flowSpecId, mappingVersion: resource.mappingVersion });
  exports[r.name] = outputs;
}
