import { setClock } from "../../../provider/clock";
import { FlowServiceError } from "../../../provider/client/flow-service-error";
import { deleteWaitingForDependents, inUse } from "../../../provider/engine/deletes-in-flight";

/**
 * The wait of a delete refused as in use (1418-400), on a fake clock: it asks again only after another
 * delete of the process succeeded, and gives up once none is in flight and none succeeded for 3 s.
 */
let t = 0;
let slept: number[] = [];
/** Runs during the next sleep: a delete another chain starts in the gap. */
let duringSleep: (() => void) | undefined;

beforeEach(() => {
  t += 1_000_000; // Apart from the earlier tests' deletes by more than any wait.
  slept = [];
  duringSleep = undefined;
  setClock(
    () => t,
    async (ms) => {
      slept.push(ms);
      const run = duringSleep;
      duringSleep = undefined;
      run?.();
      t += ms;
      await Promise.resolve();
    },
  );
});
afterAll(() => setClock());

const refused = () => new FlowServiceError({ kind: "http", status: 400, code: "1418-400", message: "used by flow 'f1'" });
const gaveUp = (ms: number) => new Error(`gave up after ${ms} ms`);

/** A delete that answers from `answers` in turn (an Error is thrown), counting its sends. */
function scripted(answers: Array<"ok" | Error | Promise<void>>) {
  const sent = { count: 0 };
  const send = async () => {
    const a = answers[Math.min(sent.count++, answers.length - 1)];
    if (a instanceof Error) throw a;
    await a;
  };
  return { sent, send };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const run = (send: () => Promise<void>, retries: number[] = []) => deleteWaitingForDependents(send, inUse, { onRetry: (n) => retries.push(n), refusal: gaveUp });

it("gives up at once on a refusal when no other delete is in flight or just succeeded: one DELETE, no wait", async () => {
  const d = scripted([refused()]);
  await expect(run(d.send)).rejects.toThrow("gave up after 0 ms");
  expect(d.sent.count).toBe(1);
  expect(slept).toEqual([]);
});

it("asks again once the dataflow delete in flight succeeds, and not before", async () => {
  const flowDelete = deferred();
  const flow = run(() => flowDelete.promise);
  const retries: number[] = [];
  const d = scripted([refused(), "ok"]);
  const source = run(d.send, retries);
  await new Promise((r) => setImmediate(r));
  expect(d.sent.count).toBe(1);
  flowDelete.resolve();
  await Promise.all([flow, source]);
  expect(d.sent.count).toBe(2);
  expect(retries).toEqual([2]);
});

it("gives up without asking again when the delete in flight fails instead", async () => {
  const flowDelete = deferred();
  const flow = run(() => flowDelete.promise).catch((e: Error) => e);
  const d = scripted([refused(), "ok"]);
  const source = run(d.send);
  await new Promise((r) => setImmediate(r));
  flowDelete.reject(new Error("503"));
  await expect(source).rejects.toThrow("gave up");
  expect(d.sent.count).toBe(1);
  expect(await flow).toEqual(new Error("503"));
});

it("waits out the gap between one chain's deletes: a delete that starts within 3 s of the last success is waited for", async () => {
  await run(async () => undefined); // the chain's last delete succeeded just now
  const next = deferred();
  let nextDelete: Promise<void> | undefined;
  duringSleep = () => {
    nextDelete = run(() => next.promise);
    setImmediate(() => next.resolve());
  };
  const d = scripted([refused(), "ok"]);
  await run(d.send);
  await nextDelete;
  expect(d.sent.count).toBe(2);
  expect(slept).toEqual([3000]);
});

it("after the gap with nothing started, gives up without repeating the refused DELETE", async () => {
  await run(async () => undefined);
  t += 1000;
  const d = scripted([refused(), "ok"]);
  await expect(run(d.send)).rejects.toThrow("gave up after 2000 ms");
  expect(d.sent.count).toBe(1);
  expect(slept).toEqual([2000]);
});

it("two refused deletes do not wake each other: each is sent once and both give up", async () => {
  t += 10_000;
  const a = scripted([refused(), "ok"]);
  const b = scripted([refused(), "ok"]);
  const results = await Promise.allSettled([run(a.send), run(b.send)]);
  expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  expect([a.sent.count, b.sent.count]).toEqual([1, 1]);
});

it("any other failure is not waited on: thrown at once", async () => {
  const d = scripted([new FlowServiceError({ kind: "http", status: 500, code: "1102-500", message: "boom" })]);
  await expect(run(d.send)).rejects.toThrow("boom");
  expect(d.sent.count).toBe(1);
});
