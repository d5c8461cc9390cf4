import type { Attributes } from '@opentelemetry/api';
import type { HotMetricRegistry, HotSum, HotHistogramSeries } from '../../../src/metrics/hot-metrics';
import { ATTR_WS_ROLE, ROLE_VALUE_CLIENT, ROLE_VALUE_SERVER } from '../semconv';

/** A WebSocket role; the index into per-role handle tables. @internal */
export type WsRole = typeof ROLE_VALUE_SERVER | typeof ROLE_VALUE_CLIENT;

/** The two roles, in a fixed order (server first). @internal */
export const WS_ROLES: readonly WsRole[] = [ROLE_VALUE_SERVER, ROLE_VALUE_CLIENT];

/**
 * Every series handle one connection touches, resolved once per role at set-up so that the
 * per-message path is plain field updates (no attribute hashing: docs/architecture.md,
 * "Why the hot registry exists").
 * @internal
 */
export interface RoleHandles {
  readonly role: WsRole;
  readonly isServer: boolean;
  active: HotSum;
  accepted: HotSum;
  duration: HotHistogramSeries;
  inText: HotSum;
  inBinary: HotSum;
  outText: HotSum;
  outBinary: HotSum;
  inSize: HotHistogramSeries;
  outSize: HotHistogramSeries;
  handlerLatency: HotHistogramSeries;
  roundTrip: HotHistogramSeries;
  pingRtt: HotHistogramSeries;
}

/**
 * Base of the ws collectors: each owns a few families of the hot registry and resolves
 * handles per role. Series keyed by open-ended values (close codes, error types) are cached
 * in a Map per role so they hash their attributes once.
 * @internal
 */
export abstract class BaseCollector {
  constructor(protected readonly registry: HotMetricRegistry) {}

  /** Attributes of a role, hoisted (one object per role). */
  protected static roleAttrs(role: WsRole, extra: Attributes = {}): Attributes {
    return { [ATTR_WS_ROLE]: role, ...extra };
  }

  /** Fills this collector's fields of a role's handle table. */
  abstract bind(h: Partial<RoleHandles> & { role: WsRole }): void;
}

/** A per-role cache of series keyed by one open-ended value (close code, error type). @internal */
export class KeyedSeries<K, S> {
  private readonly byRole: [Map<K, S>, Map<K, S>] = [new Map(), new Map()];
  constructor(private readonly resolve: (role: WsRole, key: K) => S) {}
  get(role: WsRole, key: K): S {
    const m = this.byRole[role === ROLE_VALUE_SERVER ? 0 : 1];
    let s = m.get(key);
    if (s === undefined) {
      s = this.resolve(role, key);
      m.set(key, s);
    }
    return s;
  }
}

/** Seconds buckets for message latency and ping round trips. @internal */
export const LATENCY_BOUNDARIES: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds buckets for connection lifetimes (up to a day). @internal */
export const DURATION_BOUNDARIES: readonly number[] = [0.1, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600, 86400];
/** Byte buckets for message sizes (the 4 KB limit is a boundary). @internal */
export const SIZE_BOUNDARIES: readonly number[] = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536, 262144, 1048576];
