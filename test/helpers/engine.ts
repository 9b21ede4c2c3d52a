import type * as pulumi from "@pulumi/pulumi";
import { serializeFunction } from "@pulumi/pulumi/runtime/closure/serializeClosure";
// The loader the engine's dynamic-provider process uses (a dependency of @pulumi/pulumi).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");
import Module from "node:module";
import { join, resolve } from "node:path";
import { createShim } from "../../provider/shim";

export type Props = Record<string, unknown>;

const texts = new Map<string, Promise<string>>();

/** The `__provider` text Pulumi stores for a kind, serialized exactly as dynamic.Resource does. */
export function serializedProvider(kind: string): Promise<string> {
  let text = texts.get(kind);
  if (!text) {
    // Named `provider` as in dynamic.Resource, so the text is byte-identical to what Pulumi stores.
    const provider = createShim(kind);
    text = serializeFunction(() => provider, { allowSecrets: true }).then((sf) => sf.text);
    texts.set(kind, text);
  }
  return text;
}

const lifecycleDir = join(resolve(__dirname, "../.."), "dist", "provider");

/**
 * Makes the next call of every serialized provider start as a new dynamic-provider process does (the
 * engine starts one per deployment): the lifecycle is loaded again, with no client, IMS token or
 * name listing of the deployments before. Load the providers again afterwards (configure runs then).
 */
export function newProviderProcess(): void {
  // The serialized texts load the lifecycle through Node's own loader, not the test runner's.
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  for (const file of Object.keys(cache)) if (file.startsWith(lifecycleDir)) delete cache[file];
}

/**
 * Sets the time the serialized providers' lifecycle reads (provider/clock.ts), which they load through Node's
 * own loader, out of reach of a test runner's fake timers; without an argument, the real clock again. Call it
 * after `newProviderProcess()` (or `deploymentOf`), which starts the lifecycle, and its clock, afresh.
 */
export function setProviderClock(now?: () => number): void {
  // Loaded as the serialized texts load the lifecycle: the runner's own `require` (and its createRequire)
  // would load a copy of its own.
  const text = `module.exports = require(${JSON.stringify(join(lifecycleDir, "clock.js"))});`;
  (requireFromString(text) as unknown as { setClock(now?: () => number): void }).setClock(now);
}

/** A resource as a test holds it between deployments: its kind, id, what the program declared, its outputs. */
export interface HeldResource<K extends string = string> {
  kind: K;
  id: string;
  /** What the program declared. */
  news: Props;
  outs: Props;
}

/** A new deployment: a new provider process with a provider per kind, each configured with `config`. */
export async function deploymentOf<K extends string>(kinds: readonly K[], config: Record<string, string>): Promise<Record<K, ProviderUnderTest>> {
  newProviderProcess();
  const loaded = await Promise.all(kinds.map((k) => ProviderUnderTest.load(k, config)));
  return Object.fromEntries(kinds.map((k, i) => [k, loaded[i]])) as Record<K, ProviderUnderTest>;
}

/**
 * Drives a serialized provider the way the engine's dynamic-provider process does: load the text
 * with require-from-string, call configure once, then the lifecycle methods with `__provider` in
 * every property bag. Configuration comes from the AEP_* environment (set per test) or `config`.
 */
export class ProviderUnderTest {
  private constructor(
    readonly text: string,
    private readonly provider: pulumi.dynamic.ResourceProvider,
  ) {}

  static async load(kind: string, config: Record<string, string> = {}): Promise<ProviderUnderTest> {
    const text = await serializedProvider(kind);
    const provider = requireFromString(text).handler();
    await provider.configure?.({ config: { get: (k: string) => config[k], require: (k: string) => config[k] ?? "" } });
    return new ProviderUnderTest(text, provider);
  }

  private bag(props: Props): Props {
    return { ...props, __provider: this.text };
  }

  async check(olds: Props, news: Props) {
    const r = await this.provider.check!(this.bag(olds), this.bag(news));
    return { inputs: this.bag(r.inputs ?? {}), failures: r.failures ?? [] };
  }

  /** check, failing the test on any failure: what `pulumi up` does before create/update. */
  async checked(olds: Props, news: Props): Promise<Props> {
    const r = await this.check(olds, news);
    if (r.failures.length) throw new Error(`check failed: ${JSON.stringify(r.failures)}`);
    return r.inputs;
  }

  diff(id: string, olds: Props, news: Props) {
    return this.provider.diff!(id, this.bag(olds), this.bag(news));
  }

  async create(inputs: Props) {
    const r = await this.provider.create(this.bag(inputs));
    return { id: r.id, outs: this.bag(r.outs ?? {}) };
  }

  read(id: string, props?: Props) {
    return this.provider.read!(id, props ? this.bag(props) : undefined);
  }

  async update(id: string, olds: Props, news: Props) {
    const r = await this.provider.update!(id, this.bag(olds), this.bag(news));
    return this.bag(r.outs ?? {});
  }

  delete(id: string, props: Props) {
    return this.provider.delete!(id, this.bag(props));
  }
}
