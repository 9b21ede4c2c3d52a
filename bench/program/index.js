// The benchmark program. Stack config `bench:mode` picks what it declares:
//   "aep"  — `bench:count` connections of the mix (bench:mix, default the five kinds in turn);
//   "noop" — as many no-op dynamic resources with the same inputs, whose provider is an object in
//            this program, so Pulumi stores its code in `__provider` (the original baseline);
//   "lean" — as many resources of the lean no-op provider (bench/lean-noop), an installed module
//            stored as a reference exactly like ours, with the same inputs and outputs.
// `bench:revision` goes into every description, so changing it updates every resource in place.
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");
const { argsFor, DECLARED, KIND_OF, parseMix } = require("./declare");

const config = new pulumi.Config("bench");
const mode = config.require("mode");
const count = config.requireNumber("count");
const revision = config.get("revision") || "1";
const mix = parseMix(config.get("mix"));

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

// Each kind's provider object is the whole export of its module: stored as require("…/shims/<kind>").
const LEAN_SHIMS = {
  ftp: require("aep-bench-lean-noop/shims/ftp"),
  sftp: require("aep-bench-lean-noop/shims/sftp"),
  s3: require("aep-bench-lean-noop/shims/s3"),
  datasetBase: require("aep-bench-lean-noop/shims/dataset-base"),
  streaming: require("aep-bench-lean-noop/shims/streaming"),
  sourceConnection: require("aep-bench-lean-noop/shims/source-connection"),
  targetConnection: require("aep-bench-lean-noop/shims/target-connection"),
  mappingSet: require("aep-bench-lean-noop/shims/mapping-set"),
  dataflow: require("aep-bench-lean-noop/shims/dataflow"),
};
/** What the connection classes hand the engine (provider/resources/resource.ts), with the lean provider. */
class Lean extends pulumi.dynamic.Resource {
  constructor(type, name, args, secretKeys) {
    const kind = KIND_OF[type];
    const props = { ...args };
    for (const key of secretKeys) props[key] = pulumi.secret(props[key]);
    props.__autoName = name;
    props.__nameSeed = pulumi.createUrn(name, `bench:Lean${type}`);
    for (const key of [...DECLARED[type], ...Object.keys(args)]) if (!(key in props)) props[key] = undefined;
    super(LEAN_SHIMS[kind], name, props, { deleteBeforeReplace: true, additionalSecretOutputs: secretKeys }, "bench", `Lean${type}`);
  }
}

// A pipeline kind's references are outputs of resources declared before it. The no-op resources
// output only their inputs, so there every reference is the referenced resource's id.
const declared = [];
for (let i = 0; i < count; i++) {
  const { type, name, args: own, refs, secretKeys } = argsFor(i, revision, mix);
  const args = { ...own };
  for (const [input, ref] of Object.entries(refs)) args[input] = mode === "noop" ? declared[ref.index].id : declared[ref.index][ref.output];
  if (mode === "aep") declared.push(new aep[type](name, args));
  else if (mode === "noop") declared.push(new Noop(name, args, secretKeys));
  else if (mode === "lean") declared.push(new Lean(type, name, args, secretKeys));
  else throw new Error(`bench:mode must be "aep", "noop" or "lean", not ${JSON.stringify(mode)}`);
}
