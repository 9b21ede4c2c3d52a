/**
 * The provider's time, for rules that depend on it (a dataflow's startTime that has passed). Read through
 * `now()` only, so a test that drives the lifecycle as the engine does can set it (test/helpers/engine.ts
 * `setProviderClock`): the serialized provider loads this module through Node's own loader, where a test
 * runner's fake timers do not reach.
 */
let current: () => number = Date.now;

/** Milliseconds since the epoch. */
export function now(): number {
  return current();
}

/** Replaces the clock (for tests); without an argument, the real one again. */
export function setClock(clock?: () => number): void {
  current = clock ?? Date.now;
}
