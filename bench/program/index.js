// The benchmark program. Stack config `bench:mode` picks what it declares:
//   "aep"  — `bench:count` connections of the five kinds in turn (FTP, SFTP, S3, dataset base, streaming);
//   "noop" — as many no-op dynamic resources with the same inputs, whose provider returns at once.
// `bench:revision` goes into every description, so changing it updates every resource in place.
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");
const { argsFor } = require("./declare");

const config = new pulumi.Config("bench");
const mode = config.require("mode");
const count = config.requireNumber("count");
const revision = config.get("revision") || "1";

// The baseline: the least a dynamic provider can do. Its text is what Pulumi serializes into
// `__provider`, so it captures nothing.
const noopProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    return { changes: JSON.stringify(olds) !== JSON.stringify(news) };
  },
  async create(inputs) {
    return { id: inputs.__autoName, outs: inputs };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

class Noop extends pulumi.dynamic.Resource {
  constructor(name, args, secretKeys) {
    const props = { ...args, __autoName: name };
    for (const key of secretKeys) props[key] = pulumi.secret(props[key]);
    super(noopProvider, name, props, { additionalSecretOutputs: secretKeys }, "bench", "Noop");
  }
}

for (let i = 0; i < count; i++) {
  const { type, name, args, secretKeys } = argsFor(i, revision);
  if (mode === "aep") new aep[type](name, args);
  else if (mode === "noop") new Noop(name, args, secretKeys);
  else throw new Error(`bench:mode must be "aep" or "noop", not ${JSON.stringify(mode)}`);
}
