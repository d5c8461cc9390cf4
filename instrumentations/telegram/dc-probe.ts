import type { TelegramCollectors } from './collectors';
import { telegramCollectors } from './collectors';
import { withTimeout } from '../../src/internal/safe-call';

/** The client surface a probe needs (a GramJS TelegramClient). */
export interface ProbeableClient {
  session?: { dcId?: number };
  /** GramJS keeps help.GetConfig here after connecting. */
  _config?: { dcOptions?: Array<{ id: number }> };
  invoke(request: never, dcId?: number): Promise<unknown>;
}

/** Options of {@link DcProbe}. */
export interface DcProbeOptions {
  /** DCs to report (the spec measures 1-5). @default [1, 2, 3, 4, 5] */
  dcs?: number[];
  /**
   * Also probe DCs the client does not use yet. That makes GramJS open an authorized
   * connection to each one (a new auth key and an ImportAuthorization), so it is off by
   * default and rate-capped by `minIntervalMs`. @default false
   */
  probeAllDcs?: boolean;
  /** A probe without an answer in this time counts as unreachable (-1). @default 5000 */
  timeoutMs?: number;
  /** Probes run at most this often; in between the last results are returned. @default 60000 */
  minIntervalMs?: number;
}

let pingCounter = 0;

/**
 * The spec's measureDCLatency: round trip per DC in ms, -1 when a DC does not answer. The home
 * DC is pinged on the existing connection; other DCs only when `probeAllDcs` is set. Each
 * probe's round trip also lands in telegram.dc.rtt (through the instrumented sender).
 */
export class DcProbe {
  private last: Record<number, number> = {};
  private lastRun = 0;
  private inflight: Promise<Record<number, number>> | undefined;
  private readonly collectors: TelegramCollectors = telegramCollectors();

  private readonly target: () => ProbeableClient;

  /**
   * `client` may be a function returning the client to probe now: a monitored session's probe
   * follows the monitor to the standby after a failover instead of pinging the old client.
   */
  constructor(client: ProbeableClient | (() => ProbeableClient), private readonly opts: DcProbeOptions = {}) {
    this.target = typeof client === 'function' ? client : () => client;
  }

  /** The client probed now. */
  get client(): ProbeableClient {
    return this.target();
  }

  /** Measures (or returns the cached result inside minIntervalMs). Never rejects. */
  measure(): Promise<Record<number, number>> {
    if (this.inflight) return this.inflight;
    if (Date.now() - this.lastRun < (this.opts.minIntervalMs ?? 60_000) && this.lastRun > 0) return Promise.resolve({ ...this.last });
    this.inflight = this.run().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async run(): Promise<Record<number, number>> {
    this.lastRun = Date.now();
    const { Api } = await import('telegram');
    const client = this.target();
    const home = client.session?.dcId;
    const out: Record<number, number> = {};
    if (this.opts.probeAllDcs && !client._config) {
      // Once per client: the DC list GramJS itself uses to reach other DCs.
      client._config = (await client.invoke(new Api.help.GetConfig() as never).catch(() => undefined)) as ProbeableClient['_config'];
    }
    const known = new Set((client._config?.dcOptions ?? []).map((o) => o.id));
    for (const dc of this.opts.dcs ?? [1, 2, 3, 4, 5]) {
      if (dc !== home && !this.opts.probeAllDcs) continue;
      if (dc !== home && !known.has(dc)) {
        // GramJS retries a DC missing from its config in a tight loop: never ask it for one.
        out[dc] = -1;
        this.collectors.connection.recordUnreachable(dc);
        continue;
      }
      const start = performance.now();
      pingCounter += 1;
      const ping = new Api.Ping({ pingId: BigInt(pingCounter) as never });
      try {
        await withTimeout(client.invoke(ping as never, dc === home ? undefined : dc), this.opts.timeoutMs ?? 5000, `ping to DC ${dc}`);
        const ms = performance.now() - start;
        out[dc] = Math.round(ms);
        this.collectors.connection.recordRtt(dc, ms / 1000);
      } catch {
        out[dc] = -1;
        // The DC did not answer within the timeout: its round trip is at least that long, and
        // recording it is what lets the DC latency rule (and its critical level) see the outage.
        this.collectors.connection.recordUnreachable(dc, (this.opts.timeoutMs ?? 5000) / 1000);
      }
    }
    this.last = out;
    return { ...out };
  }
}
