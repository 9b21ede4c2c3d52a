// The E2E test program: declares the resources listed in the stack config `resources`, as a user's
// program would, from the installed package. An arg given as {"secret": "<config key>"} is read
// with requireSecret. Each resource's outputs become a stack output named after it.
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");

const config = new pulumi.Config();
const declared = config.getObject("resources") || [];

for (const r of declared) {
  const args = {};
  for (const [key, value] of Object.entries(r.args || {})) {
    args[key] = value && typeof value === "object" && typeof value.secret === "string" ? config.requireSecret(value.secret) : value;
  }
  const opts = {};
  if (r.retainOnDelete) opts.retainOnDelete = true;
  if (r.import) opts.import = r.import;
  const resource = new aep[r.type](r.name, args, opts);
  const outputs = { id: resource.id, etag: resource.etag, name: resource.name, sandbox: resource.sandbox, state: resource.state };
  if (r.type === "StreamingConnection") Object.assign(outputs, { inletUrl: resource.inletUrl, inletId: resource.inletId, sourceId: resource.sourceId });
  exports[r.name] = outputs;
}
