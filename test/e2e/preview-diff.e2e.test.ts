jest.setTimeout(300_000);

import { randomBytes } from "node:crypto";
import { type Declared, declare, makeStack, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";

/**
 * What `pulumi preview --diff` shows for this package's resources, pinned so the README's account of
 * it stays true: a change that forces a replacement, and an update that changes only a secret.
 */
let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu?.stop());

it("marks the property that forces a replacement; a secret-only update shows as an update whose secret stays hidden", async () => {
  const h = await makeStack(sharedProgram(), {}, `diff-${randomBytes(4).toString("hex")}`);
  await h.stack.setAllConfig(Object.fromEntries(Object.entries(emu.config()).map(([k, v]) => [k, { value: v, secret: k === "aep:clientSecret" }])));
  const before: Declared[] = [
    { type: "StreamingConnection", name: "events", args: { dataType: "xdm" } },
    { type: "FtpConnection", name: "ftp", args: { host: "ftp.example.com", userName: "ingest", password: { secret: "ftpPassword" } } },
  ];
  await declare(h.stack, before, { ftpPassword: "first-password-1" });
  expect((await h.stack.up()).summary.result).toBe("succeeded");

  const after = before.map((d) => (d.name === "events" ? { ...d, args: { dataType: "raw" } } : d));
  await declare(h.stack, after, { ftpPassword: "second-password-2" });
  let text = "";
  const preview = await h.stack.preview({ diff: true, onOutput: (s) => (text += s) });
  expect(preview.changeSummary).toMatchObject({ replace: 1, update: 1 });

  // The replacement is shown with the property that forces it.
  expect(text).toMatch(/\+-\s*pulumi-nodejs:dynamic\/aep:StreamingConnection: \(replace\)/);
  expect(text).toMatch(/~ dataType\s*: "xdm" => "raw"/);
  // A replacement gets a new generated name (as Pulumi's own auto-naming does), and preview says so.
  expect(text).toMatch(/~ name\s*: "events-[a-z0-9]{7}" => "events-[a-z0-9]{7}"/);
  // The secret-only update: shown as an update; the password is never printed.
  expect(text).toMatch(/~ pulumi-nodejs:dynamic\/aep:FtpConnection: \(update\)/);
  // ...but the changed secret is not marked: a dynamic provider's diff can name replacements but
  // carries no per-property detail, and the engine compares secrets as "[secret]" (pulumi/pulumi#16687).
  expect(text).toMatch(/\n\s+password\s*: \[secret\]/);
  expect(text).not.toMatch(/~ password/);
  expect(text).not.toContain("first-password-1");
  expect(text).not.toContain("second-password-2");
  await h.stack.destroy();
});
