// Child-process entry for the CLI tests: `node run-cli.js --port 0 ...` runs emulator/cli.ts.
require("./register-ts");
require("../../../emulator/cli.ts")
  .main(process.argv.slice(2))
  .catch((e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
