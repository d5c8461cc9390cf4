import { RPC_METHOD_VALUE_OTHER } from './semconv';

// TL names: `namespace.Method` or `Method` (PingDelayDisconnect, InvokeWithLayer).
const TL_NAME = /^(?:[a-z][A-Za-z0-9]{0,31}\.)?[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Bounds `rpc.method`: the TL schema is finite (~700 methods), but anything that is not a TL
 * name, and anything beyond `limit` distinct names, folds into `_other` so a bad caller cannot
 * blow up cardinality. Decided once per name; the set is the lookup table.
 *
 * @internal
 */
export class MethodNames {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = 256) {}
  bound(name: unknown): string {
    if (typeof name !== 'string') return RPC_METHOD_VALUE_OTHER;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.limit || !TL_NAME.test(name)) return RPC_METHOD_VALUE_OTHER;
    this.seen.add(name);
    return name;
  }
}

/**
 * A small bounded map (insertion order eviction) for cached metric handles, so a key space
 * that should be small but is not cannot grow without limit.
 *
 * @internal
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit = 1024) {}
  get(key: string, create: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.limit) {
        const first = this.map.keys().next();
        if (!first.done) this.map.delete(first.value);
      }
      v = create();
      this.map.set(key, v);
    }
    return v;
  }
}

/** Monotonic seconds since an hrtime-like origin, from performance.now(). @internal */
export function nowSeconds(): number {
  return performance.now() / 1000;
}

/** Upload requests, which GramJS retries after sleeping on every flood wait. @internal */
export const UPLOAD_METHODS: ReadonlySet<string> = new Set(['upload.SaveFilePart', 'upload.SaveBigFilePart']);

/** Keep-alive requests: their round trip is the DC RTT. @internal */
export const PING_METHODS: ReadonlySet<string> = new Set(['PingDelayDisconnect', 'Ping']);
