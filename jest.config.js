/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 60000,
  // Lifecycle and E2E suites start servers and child processes; two cores, so keep workers low.
  maxWorkers: 2,
  globalSetup: "<rootDir>/test/global-setup.js",
};
