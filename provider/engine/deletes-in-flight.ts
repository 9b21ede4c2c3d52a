import { FlowServiceError } from "../client/flow-service-error";
import { now, sleep } from "../clock";

/**
 * The deletes this provider process is sending, so that a delete Flow Service refuses because a dataflow
 * still uses the entity (1418-400) can wait for the deletes of the same deployment that may free it.
 *
 * Why: when every resource of a pipeline is replaced deleting first (a move to another sandbox), the
 * engine deletes a replaced resource's dependents in the chain of the first replaced resource that
 * reaches them, and a second chain reaching the same dependents goes on to delete its own resource
 * without waiting for them. A source connection's chain and a target connection's both reach the
 * dataflows, so one of them asks to delete its connection while the other is still deleting the
 * dataflows that use it. Nothing else in the process knows the dependents' state, so the rule is:
 * after a refusal, ask again each time another delete of this process succeeds, and give up once none
 * is in flight and none succeeded for `GRACE_MS` (a chain's next delete starts within milliseconds of
 * its last). A dataflow kept outside the stack is therefore reported within `GRACE_MS`, and a
 * refused delete is never repeated unless another delete succeeded since.
 */
const GRACE_MS = 3_000;
/** The longest a refused delete waits in all, however many deletes of the deployment keep it waiting. */
const MAX_WAIT_MS = 15 * 60_000;
/** Wakes per refusal at most (each settle of another delete is one): a bound on the loop, whatever the clock does. */
const MAX_WAKES = 10_000;

let active = 0;
let succeeded = 0;
let lastSuccessAt = Number.NEGATIVE_INFINITY;
let waiters: Array<() => void> = [];

function settled(success: boolean): void {
  active--;
  if (success) {
    succeeded++;
    lastSuccessAt = now();
  }
  const woken = waiters;
  waiters = [];
  for (const wake of woken) wake();
}

function nextSettle(): Promise<void> {
  return new Promise((resolve) => waiters.push(resolve));
}

/** What the wait reports, for the log and the final error. */
export interface InUseWait {
  /** Another attempt is made: another delete of this deployment succeeded since the refusal. */
  onRetry(attempt: number): void;
  /** Gave up: `waitedMs` since the first refusal. */
  refusal(waitedMs: number): Error;
}

/**
 * Sends `send` (a DELETE) and, while it is refused as in use (`inUse`), waits as the module comment
 * says and sends it again; every attempt is counted as in flight for the other deletes.
 */
export async function deleteWaitingForDependents(send: () => Promise<unknown>, inUse: (err: unknown) => boolean, wait: InUseWait): Promise<void> {
  let firstRefusal: number | undefined;
  for (let attempt = 1; ; attempt++) {
    active++;
    try {
      await send();
      settled(true);
      return;
    } catch (err) {
      settled(false);
      if (!inUse(err)) throw err;
    }
    const refusedAt = now();
    firstRefusal ??= refusedAt;
    const seen = succeeded;
    for (let wakes = 0; succeeded === seen; wakes++) {
      const waited = now() - firstRefusal;
      if (waited >= MAX_WAIT_MS || wakes >= MAX_WAKES) throw wait.refusal(waited);
      if (active > 0) {
        // Each delete in flight ends within its own bounded retries and timeouts.
        await nextSettle();
        continue;
      }
      const sinceSuccess = now() - lastSuccessAt;
      if (sinceSuccess >= GRACE_MS) throw wait.refusal(waited);
      await Promise.race([nextSettle(), sleep(GRACE_MS - sinceSuccess)]);
    }
    wait.onRetry(attempt + 1);
  }
}

/** Flow Service's refusal to delete an entity a dataflow uses. */
export function inUse(err: unknown): boolean {
  return err instanceof FlowServiceError && err.code === "1418-400";
}

/** ", after waiting 4.2 s for the other deletes of this deployment", or nothing when it did not wait. */
export function waited(ms: number): string {
  return ms > 0 ? `, after waiting ${(ms / 1000).toFixed(1)} s for the other deletes of this deployment` : "";
}
