/**
 * A sandbox for export's tests, built through Flow Service's and Data Prep's public HTTP API with the
 * package's own client (as another tool, or the AEP UI, would have built it): never through the
 * emulator's admin API, and never through the provider.
 */
import { FlowServiceClient } from "../../../../provider/client/client";
import { DEFAULT_CLIENT } from "../../../helpers/emulator";
import { DEMO, PRIVATE_KEY_B64, SPEC } from "../../../helpers/emulator";

export const AZURE_BLOB_SPEC = "4c10e202-c428-4796-9208-5f1f5732b1cf";
export const FLOW_SPEC = { cloudStorage: "9753525b-82c7-4dce-8a9b-5ccfce2b9876", streaming: "c1a19761-d2c7-4702-b9fa-fe91f0613e81" };

/** Secret values the seeded connections hold: none of them may appear in an exported file. */
export const SEEDED_SECRETS = {
  s3SecretKey: "seeded-s3-secret-key-value",
  sftpPassword: "seeded-sftp-password-value",
  azureConnectionString: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=seeded-azure-account-key",
  ftpPassword: "seeded-ftp-password-value",
  sftpPassPhrase: "seeded-sftp-passphrase",
} as const;

/** The client a test seeds with: the emulator's demo client, plain settings. */
export function seedClient(baseUrl: string, maxInFlight = 8): FlowServiceClient {
  return new FlowServiceClient({
    endpoint: baseUrl,
    imsEndpoint: baseUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    orgId: DEFAULT_CLIENT.orgId,
    scopes: "openid,AdobeID",
    maxInFlight,
    timeoutMs: 30_000,
  });
}

/** The ids of what `seedSandbox` created, by role. */
export interface Seeded {
  lake: string;
  s3: Pipeline;
  sftp: Pipeline;
  streaming: Pipeline;
  azure: Pipeline;
  /** Two connections nothing uses, with the same name (a name collision). */
  unusedFtp: string;
  unusedSftp: string;
}

export interface Pipeline {
  base: string;
  source: string;
  target: string;
  mapping: string;
  flow: string;
  flowName: string;
}

export const UNUSED_NAME = "Legacy partner drop";

const mappingBody = (name: string, schemaId: string, destinations: string[]) => ({
  name,
  outputSchema: { schemaRef: { id: schemaId, contentType: "application/vnd.adobe.xed-full+json;version=1" } },
  mappings: destinations.map((destination, i) => ({ sourceType: "ATTRIBUTE", source: `column${i}`, destination })),
});

const target = (c: FlowServiceClient, sandbox: string, name: string, lake: string, dataset: { dataSetId: string; schemaId: string }) =>
  c.createItem("/targetConnections", sandbox, {
    name,
    baseConnectionId: lake,
    connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
    data: { format: "parquet_xdm", schema: { id: dataset.schemaId, version: "application/vnd.adobe.xed-full+json;version=1" } },
    params: { dataSetId: dataset.dataSetId },
  });

const fileSource = (c: FlowServiceClient, sandbox: string, name: string, base: string, spec: string, path: string) =>
  c.createItem("/sourceConnections", sandbox, {
    name,
    baseConnectionId: base,
    connectionSpec: { id: spec, version: "1.0" },
    data: { format: "delimited", columnDelimiter: ";" },
    params: { path, recursive: "true" },
  });

const cloudFlow = (c: FlowServiceClient, sandbox: string, name: string, source: string, targetId: string, mapping: string) =>
  c.createItem("/flows", sandbox, {
    name,
    description: `${name}, hourly`,
    flowSpec: { id: FLOW_SPEC.cloudStorage, version: "1.0" },
    sourceConnectionIds: [source],
    targetConnectionIds: [targetId],
    transformations: [{ name: "Mapping", params: { mappingId: mapping, mappingVersion: 0 } }],
    scheduleParams: { startTime: "1767225600", frequency: "hour", interval: "1" },
  });

/** S3 → dataset, SFTP → dataset, a streaming pipeline, Azure Blob (a generic-spec connection) → dataset, two unused connections. */
export async function seedSandbox(c: FlowServiceClient, sandbox: string): Promise<Seeded> {
  const lake = (await c.createItem("/connections", sandbox, { name: "Data Lake", description: "Where dataflows land", connectionSpec: { id: SPEC.datasetBase, version: "1.0" } })).id;

  const s3Base = (
    await c.createItem("/connections", sandbox, {
      name: "Orders S3",
      description: "The orders bucket",
      auth: { specName: "Access Key", params: { s3AccessKey: "AKIAORDERSEXAMPLE", s3SecretKey: SEEDED_SECRETS.s3SecretKey, bucketName: "acme-orders" } },
      connectionSpec: { id: SPEC.s3, version: "1.0" },
    })
  ).id;
  const s3Source = (await fileSource(c, sandbox, "Orders files", s3Base, SPEC.s3, "/inbound/orders/*.csv")).id;
  const s3Target = (await target(c, sandbox, "Orders dataset", lake, DEMO.orders)).id;
  const s3Mapping = (await c.createMappingSet(sandbox, mappingBody("Orders mapping", DEMO.orders.schemaId, ["_id", "person.name.firstName"]))).id;
  const s3Flow = (await cloudFlow(c, sandbox, "Orders hourly", s3Source, s3Target, s3Mapping)).id;

  const sftpBase = (
    await c.createItem("/connections", sandbox, {
      name: "Partner SFTP",
      auth: { specName: "Basic Authentication for sftp", params: { host: "sftp.partner.example.com", port: 2222, userName: "aep", password: SEEDED_SECRETS.sftpPassword, folderPath: "/outbound" } },
      connectionSpec: { id: SPEC.sftp, version: "1.0" },
    })
  ).id;
  const sftpSource = (await fileSource(c, sandbox, "Partner files", sftpBase, SPEC.sftp, "/outbound/customers.csv")).id;
  const sftpTarget = (await target(c, sandbox, "Customers dataset", lake, DEMO.customers)).id;
  const sftpMapping = (await c.createMappingSet(sandbox, mappingBody("Customers mapping", DEMO.customers.schemaId, ["_id"]))).id;
  const sftpFlow = (await cloudFlow(c, sandbox, "Customers daily", sftpSource, sftpTarget, sftpMapping)).id;

  const streamBase = (
    await c.createItem("/connections", sandbox, {
      name: "Web events",
      providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033",
      auth: { specName: "Streaming Connection", params: { sourceId: "web-events", dataType: "xdm", name: "Web events", authenticationRequired: true } },
      connectionSpec: { id: SPEC.streaming, version: "1.0" },
    })
  ).id;
  const streamSource = (await c.createItem("/sourceConnections", sandbox, { name: "Web events stream", baseConnectionId: streamBase, connectionSpec: { id: SPEC.streaming, version: "1.0" }, data: { format: "json" } })).id;
  const streamTarget = (await target(c, sandbox, "Loyalty dataset", lake, DEMO.loyalty)).id;
  const streamMapping = (await c.createMappingSet(sandbox, mappingBody("Loyalty mapping", DEMO.loyalty.schemaId, ["_id"]))).id;
  const streamFlow = (
    await c.createItem("/flows", sandbox, {
      name: "Web events to loyalty",
      flowSpec: { id: FLOW_SPEC.streaming, version: "1.0" },
      sourceConnectionIds: [streamSource],
      targetConnectionIds: [streamTarget],
      transformations: [{ name: "Mapping", params: { mappingId: streamMapping } }],
    })
  ).id;

  const azureBase = (
    await c.createItem("/connections", sandbox, {
      name: "Archive blob",
      description: "Azure Blob Storage archive",
      auth: { specName: "ConnectionString", params: { connectionString: SEEDED_SECRETS.azureConnectionString } },
      connectionSpec: { id: AZURE_BLOB_SPEC, version: "1.0" },
    })
  ).id;
  const azureSource = (await fileSource(c, sandbox, "Archive files", azureBase, AZURE_BLOB_SPEC, "/archive/orders")).id;
  const azureTarget = (await target(c, sandbox, "Archived orders dataset", lake, DEMO.orders)).id;
  const azureMapping = (await c.createMappingSet(sandbox, mappingBody("Archive mapping", DEMO.orders.schemaId, ["_id"]))).id;
  const azureFlow = (await cloudFlow(c, sandbox, "Archive backfill", azureSource, azureTarget, azureMapping)).id;

  const unusedFtp = (
    await c.createItem("/connections", sandbox, {
      name: UNUSED_NAME,
      auth: { specName: "Basic Authentication for FTP", params: { host: "ftp.legacy.example.com", userName: "legacy", password: SEEDED_SECRETS.ftpPassword } },
      connectionSpec: { id: SPEC.ftp, version: "1.0" },
    })
  ).id;
  const unusedSftp = (
    await c.createItem("/connections", sandbox, {
      name: UNUSED_NAME,
      auth: { specName: "SSH PublicKey Authentication for sftp", params: { host: "sftp.legacy.example.com", userName: "legacy", privateKeyContent: PRIVATE_KEY_B64, passPhrase: SEEDED_SECRETS.sftpPassPhrase } },
      connectionSpec: { id: SPEC.sftp, version: "1.0" },
    })
  ).id;

  return {
    lake,
    s3: { base: s3Base, source: s3Source, target: s3Target, mapping: s3Mapping, flow: s3Flow, flowName: "Orders hourly" },
    sftp: { base: sftpBase, source: sftpSource, target: sftpTarget, mapping: sftpMapping, flow: sftpFlow, flowName: "Customers daily" },
    streaming: { base: streamBase, source: streamSource, target: streamTarget, mapping: streamMapping, flow: streamFlow, flowName: "Web events to loyalty" },
    azure: { base: azureBase, source: azureSource, target: azureTarget, mapping: azureMapping, flow: azureFlow, flowName: "Archive backfill" },
    unusedFtp,
    unusedSftp,
  };
}
