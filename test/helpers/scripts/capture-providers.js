// Run with cwd = a Pulumi program folder: constructs one resource of each kind from the installed
// (or given) package under Pulumi's mocks, and prints the `__provider` text each one stores.
// Usage: node capture-providers.js [package specifier, default "pulumi-aep-flow"]
const { createRequire } = require("module");
const path = require("path");
const local = createRequire(path.join(process.cwd(), "noop.js"));
const pulumi = local("@pulumi/pulumi");
const spec = process.argv[2] || "pulumi-aep-flow";
const pkg = local(spec);
const texts = {};
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      texts[args.type.split(":").pop()] = args.inputs.__provider;
      return { id: `id-${args.name}`, state: args.inputs };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);
const made = [
  new pkg.FtpConnection("f", { host: "h.example.com", userName: "u", password: process.env.CANARY_SECRET || "p" }),
  new pkg.SftpConnection("s", { host: "h.example.com", userName: "u", password: "sftp-pass-1" }),
  new pkg.S3Connection("b", { accessKey: "a", secretKey: "s3-secret-1" }),
  new pkg.DatasetBaseConnection("d", {}),
  new pkg.StreamingConnection("st", { dataType: "xdm" }),
  new pkg.SourceConnection("src", { baseConnectionId: "id-b", connectionSpecId: "ecadc60c-7455-4d87-84dc-2a0e293d997b", format: "json", path: "/in" }),
  new pkg.TargetConnection("tgt", { baseConnectionId: "id-d", dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4" }),
  new pkg.MappingSet("map", { schemaId: "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4", mappings: [{ source: "a", destination: "_id" }] }),
  new pkg.Connection("c", { connectionSpecName: "SFTP", authSpecName: "Basic Authentication for sftp", params: { host: "h.example.com", userName: "u" }, secretParams: { password: "sftp-pass-1" } }),
  new pkg.Dataflow("flow", { flowSpecName: "CloudStorageToAEP", sourceConnectionId: "id-src", targetConnectionId: "id-tgt", mappingId: "id-map", mappingVersion: 0, schedule: { startTime: 1, frequency: "once" } }),
];
pulumi.all(made.map((r) => r.id)).apply(() => process.stdout.write(JSON.stringify(texts)));
