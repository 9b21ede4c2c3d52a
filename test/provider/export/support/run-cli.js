// Child-process entry for the CLI tests: `node run-cli.js export …` runs provider/export/cli.ts from the
// TypeScript sources (no build), as the package's `aep-flow` bin runs its compiled form.
require("../../../emulator/support/register-ts");
require("../../../../provider/export/cli.ts")
  .main(process.argv.slice(2))
  .then(
    (status) => {
      process.exitCode = status;
    },
    (e) => {
      process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 1;
    },
  );
