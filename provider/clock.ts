import { setTimeout as timer } from "node:timers/promises";

/**
 * The provider's time, for rules that depend on it (a dataflow's startTime that has passed) and for its
 * waits. Read through `now()` and `sleep()` only, so a test that drives the lifecycle as the engine does can
 * set them (test/helpers/engine.ts `setProviderClock`): the serialized provider loads this module through
 * Node's own loader, where a test runner's fake timers do not reach.
 */
let current: () => number = Date.now;
// Unreferenced: a wait never keeps the provider's process alive once the engine is done with it.
const realSleep = (ms: number): Promise<void> => timer(ms, undefined, { ref: false });
let sleeper: (ms: number) => Promise<void> = realSleep;

/** Milliseconds since the epoch. */
export function now(): number {
  return current();
}

/** Resolves after `ms` milliseconds of the provider's time. */
export function sleep(ms: number): Promise<void> {
  return sleeper(ms);
}

/** Replaces the clock and its sleep (for tests); without arguments, the real ones again. */
export function setClock(clock?: () => number, sleepFor?: (ms: number) => Promise<void>): void {
  current = clock ?? Date.now;
  sleeper = sleepFor ?? realSleep;
}
