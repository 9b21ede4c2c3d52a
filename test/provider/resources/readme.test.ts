import { readFileSync } from "node:fs";

// The generator reads the built declarations (npm run build) and the types' doc comments.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const docs: { render(): Record<string, string>; rewrite(text: string, blocks: Record<string, string>): string; README: string } = require("../../../provider/tools/resource-docs.js");

it("the README's property tables are those the declarations generate (run `npm run docs` when this fails)", () => {
  const readme = readFileSync(docs.README, "utf8");
  expect(docs.rewrite(readme, docs.render())).toBe(readme);
}, 60_000);

it("every declared property carries its doc comment through to the resource's args and outputs", () => {
  // render() throws when a mapped type lost a doc comment; each kind's table names its properties.
  const blocks = docs.render();
  expect(blocks.FtpConnection).toContain("| `host` | `string` | yes |  | update | `auth.params.host` | FTP server host name or IP address");
  expect(blocks.SftpConnection).toContain("| `privateKeyContent` | `string` | no | yes | update | `auth.params.privateKeyContent` | OpenSSH private key");
  expect(blocks.S3Connection).toContain("`auth.params.s3SecretKey`");
  expect(blocks.common).toContain("| `existingConnectionId` | `string` | no |  | ignored |");
}, 60_000);
