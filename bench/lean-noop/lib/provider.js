// The lean no-op provider: what a dynamic provider costs the engine when it does no work. Installed
// as a module (like pulumi-aep-flow), so `__provider` holds require("aep-bench-lean-noop/shims/<kind>")
// and no code; its resources carry the same inputs and outputs as the real connections (generated
// name, sandbox, etag, state, connection spec id, the streaming inlet). With the stack config
// `bench:leanLatencyMs` = L it waits as a perfect client would against a service answering in L ms:
// L per create (2 L for streaming: POST then GET) and per delete, plus once per process 2 L before the
// first create (token, then name listing) and L before the first delete (token); so a latency run has
// a baseline that includes the engine's own costs.
"use strict";
const { randomBytes, randomUUID } = require("node:crypto");

const SPECS = {
  ftp: "fb2e94c9-c031-467d-8103-6bd6e0a432f2",
  sftp: "b7bf2577-4520-42c9-bae9-cad01560f7bc",
  s3: "ecadc60c-7455-4d87-84dc-2a0e293d997b",
  datasetBase: "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
  streaming: "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
  // A target connection's spec: the Data Lake's.
  targetConnection: "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
};
const CLOUD_STORAGE_TO_AEP = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
// Data Prep cannot delete a mapping set, so an ideal client sends nothing for its delete.
const DELETES = { mappingSet: 0 };

let latencyMs = 0;
const wait = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined);
const once = {};
const setup = (step, ms) => (once[step] ??= wait(ms));

function leanProvider(kind) {
  return {
    async configure(req) {
      latencyMs = Number(req.config.get("bench:leanLatencyMs") ?? 0) || 0;
    },
    async check(_olds, news) {
      const inputs = { ...news };
      inputs.name ??= `${news.__autoName}-${randomBytes(4).toString("hex").slice(0, 7)}`;
      inputs.sandbox ??= "prod";
      return { inputs };
    },
    async diff(_id, olds, news) {
      const changed = Object.keys(news).filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
      return { changes: changed.length > 0 };
    },
    async create(inputs) {
      await setup("create", 2 * latencyMs);
      await wait(latencyMs * (kind === "streaming" ? 2 : 1));
      const outs = { ...inputs, ...createdOutputs(kind) };
      if (kind === "streaming") {
        const inletId = randomBytes(32).toString("hex");
        Object.assign(outs, { inletId, inletUrl: `http://127.0.0.1:8080/collection/${inletId}`, sourceId: inputs.name });
      }
      return { id: randomUUID(), outs };
    },
    async read(id, props) {
      return { id, props };
    },
    async update(_id, olds, news) {
      await wait(latencyMs);
      return { outs: { ...olds, ...news, etag: `"${randomUUID()}"` } };
    },
    async delete() {
      if ((DELETES[kind] ?? 1) === 0) return;
      await setup("delete", latencyMs);
      await wait(latencyMs);
    },
  };
}

/** The outputs a create adds to the inputs, by kind (what the real resources output). */
function createdOutputs(kind) {
  switch (kind) {
    case "sourceConnection":
      return { etag: `"${randomUUID()}"`, state: "enabled" };
    case "mappingSet":
      return { version: 0 };
    case "dataflow":
      return { etag: `"${randomUUID()}"`, state: "enabled", enabled: true, flowSpecId: CLOUD_STORAGE_TO_AEP };
    default:
      return { etag: `"${randomUUID()}"`, state: "enabled", connectionSpecId: SPECS[kind] };
  }
}

module.exports = { leanProvider };
