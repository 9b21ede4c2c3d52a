#!/usr/bin/env node
// npm run demo: starts the emulator, adds the dataset the quickstart writes to (through its admin API,
// on the demo Orders schema), runs `pulumi up` of the quickstart (an S3 → dataset pipeline and every
// connection kind, the dataset looked up by name) with a throwaway local backend, prints the outputs and
// the pipeline as the emulator holds it, sends one event to the streaming inlet and shows it arrived,
// then destroys everything in dependency order.
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { startEmulator, DEFAULT_CLIENT } = require("../dist/emulator");

const root = path.join(__dirname, "..");

function step(title) {
  process.stdout.write(`\n=== ${title}\n`);
}

async function main() {
  step("Pulumi CLI");
  const bin = execFileSync("bash", [path.join(__dirname, "ensure-pulumi.sh")], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const emulator = await startEmulator({ port: 0 });
  const backend = mkdtempSync(path.join(tmpdir(), "aep-demo-backend-"));
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AEP_ENDPOINT: emulator.baseUrl,
    AEP_IMS_ENDPOINT: emulator.baseUrl,
    AEP_CLIENT_ID: DEFAULT_CLIENT.clientId,
    AEP_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    AEP_ORG_ID: DEFAULT_CLIENT.orgId,
    AEP_SANDBOX: "prod",
  };
  // Asynchronous on purpose: the emulator runs in this process and must keep answering.
  const pulumi = (args, opts = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--stack", "demo"], { cwd: root, env, stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit" });
      let out = "";
      child.stdout?.on("data", (d) => (out += d));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 || opts.allowFailure ? resolve(out) : reject(new Error(`pulumi ${args.join(" ")} failed (exit ${code})`))));
    });
  try {
    process.stdout.write(`Emulator: ${emulator.baseUrl} (client ${DEFAULT_CLIENT.clientId}, org ${DEFAULT_CLIENT.orgId})\n`);
    step("A dataset for the quickstart, added through the emulator's admin API");
    const admin = async (method, route, body) => {
      const res = await fetch(`${emulator.adminUrl}${route}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body && JSON.stringify(body) });
      if (!res.ok) throw new Error(`admin ${method} ${route}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const schema = (await admin("GET", "/schemas")).items.find((s) => s.title === "Orders");
    const dataset = await admin("POST", "/dataSets", { name: "Quickstart orders", schemaId: schema.$id, sandbox: "prod" });
    process.stdout.write(`Dataset "${dataset.name}" ${dataset.id} on schema "${schema.title}" ${schema.$id}\n`);

    step("pulumi up");
    await pulumi(["stack", "init"], { allowFailure: true });
    await pulumi(["config", "set", "--secret", "ftpPassword", "demo-ftp-password"]);
    await pulumi(["config", "set", "--secret", "sftpPassword", "demo-sftp-password"]);
    await pulumi(["config", "set", "s3AccessKey", "AKIADEMO"]);
    await pulumi(["config", "set", "--secret", "s3SecretKey", "demo-s3-secret"]);
    await pulumi(["config", "set", "datasetName", dataset.name]);
    await pulumi(["up", "--yes", "--skip-preview"]);

    step("Stack outputs");
    const outputs = JSON.parse(await pulumi(["stack", "output", "--json"], { capture: true }));
    process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);

    step("The pipeline as Flow Service holds it");
    const flow = await (await fetch(`${emulator.adminUrl}/flows/${outputs.pipeline.dataflowId}`)).json();
    process.stdout.write(
      `Dataflow ${flow.name}: ${flow.state}, flow spec ${flow.flowSpec.id}, source ${flow.sourceConnectionIds[0]} → target ${flow.targetConnectionIds[0]}, ` +
        `mapping ${flow.transformations[0].params.mappingId} v${flow.transformations[0].params.mappingVersion}, every ${flow.scheduleParams.interval} ${flow.scheduleParams.frequency}\n`,
    );
    if (flow.state !== "enabled") throw new Error("the dataflow is not enabled");
    const target = await (await fetch(`${emulator.adminUrl}/targetConnections/${outputs.pipeline.targetConnectionId}`)).json();
    process.stdout.write(`Target connection ${target.id}: dataset ${target.params.dataSetId}, schema ${target.data.schema.id}\n`);
    if (target.params.dataSetId !== dataset.id) throw new Error("the target connection does not write to the dataset the quickstart looked up");

    step("Send one event to the streaming inlet");
    const event = { header: { msgType: "xdmEntityCreate" }, body: { xdmEntity: { _id: "demo-1", person: { name: "Ada" } } } };
    const res = await fetch(outputs.inletUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) });
    process.stdout.write(`POST ${outputs.inletUrl} -> ${res.status} ${await res.text()}\n`);
    const received = await (await fetch(`${emulator.adminUrl}/inlets/${outputs.inletId}/events`)).json();
    process.stdout.write(`The inlet holds ${received.items.length} event(s): ${JSON.stringify(received.items.map((e) => e.body))}\n`);
    if (received.items.length !== 1) throw new Error("the event did not arrive");

    step("pulumi destroy");
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    const count = async (what) => (await (await fetch(`${emulator.adminUrl}/${what}`)).json()).items.length;
    const [flows, sources, targets] = [await count("flows"), await count("sourceConnections"), await count("targetConnections")];
    process.stdout.write(`Dataflows, source connections and target connections left: ${flows}, ${sources}, ${targets}\n`);
    process.stdout.write(`Mapping sets kept (Data Prep cannot delete them): ${await count("mappingSets")}\n`);
    if (flows + sources + targets > 0) throw new Error("pipeline entities were left behind");
    process.stdout.write(`Connections left in the emulator: ${await count("connections")}\n`);
    await pulumi(["stack", "rm", "--yes"]);
  } finally {
    await emulator.stop();
    rmSync(backend, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  process.exit(1);
});
