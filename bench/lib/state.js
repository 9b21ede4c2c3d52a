// State size from `pulumi stack export` (the CLI's text, secrets still encrypted).
"use strict";

/**
 * Bytes of the export per declared resource, and bytes of `__provider` per resource: the serialized
 * provider is stored twice per resource (inputs and outputs), so both copies count.
 */
function stateSizes(exportText, n) {
  const deployment = JSON.parse(exportText).deployment;
  const resources = (deployment.resources ?? []).filter((r) => r.custom && (r.inputs?.__provider || r.outputs?.__provider));
  if (resources.length !== n) throw new Error(`the export holds ${resources.length} dynamic resources, expected ${n}`);
  let providerBytes = 0;
  let oneProviderText = 0;
  for (const r of resources) {
    for (const bag of [r.inputs, r.outputs]) {
      if (typeof bag?.__provider === "string") {
        const bytes = Buffer.byteLength(JSON.stringify(bag.__provider));
        providerBytes += bytes;
        oneProviderText = Math.max(oneProviderText, bytes);
      }
    }
  }
  const exportBytes = Buffer.byteLength(exportText);
  return { exportBytes, bytesPerResource: exportBytes / n, providerBytesPerResource: providerBytes / n, providerTextBytes: oneProviderText };
}

module.exports = { stateSizes };
