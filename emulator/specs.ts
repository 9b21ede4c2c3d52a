/** The connection specs under their first path: test/unit/check-property.test.ts compares the provider's checks with them. */
export * from "./flow/specs";
