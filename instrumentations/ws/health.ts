import type { WsHealthSnapshot } from './types';

/** Cumulative counts the health figures are computed from (deltas over the window). @internal */
export interface WsHealthCounts {
  messages: number;
  errors: number;
  latencySum: number;
  latencyCount: number;
  closes: number;
  abnormalCloses: number;
}

/** Live gauges at the time of the check. @internal */
export interface WsHealthGauges {
  clientCount: number;
  activeUsers: number;
}

interface Sample extends WsHealthCounts {
  t: number;
}

/** Samples kept per window: rates cover between 5/6 and 6/6 of the window. */
const SLOTS = 6;

/**
 * The spec's WebSocket health figures over a sliding window: a ring of cumulative samples taken
 * by one unref()ed timer every window/6, compared with the current counts on demand. No status:
 * the evaluator's rules judge the same counts (one judge), see src/health/rule-judge.ts. @internal
 */
export class WsHealthMonitor {
  private readonly ring: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly counts: () => WsHealthCounts,
    private readonly gauges: () => WsHealthGauges,
    private readonly now: () => number = Date.now,
  ) {
    this.ring.push({ t: this.now(), ...this.counts() });
  }

  /** Starts sampling (idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), Math.max(1, Math.floor(this.windowMs / SLOTS)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample (the timer calls this; synchronous, so runs never overlap). */
  sample(): void {
    this.ring.push({ t: this.now(), ...this.counts() });
    while (this.ring.length > SLOTS) this.ring.shift();
  }

  /** The figures now. */
  snapshot(): WsHealthSnapshot {
    const now = this.now();
    const cur = this.counts();
    const old = this.ring[0];
    const seconds = Math.max(0.001, (now - old.t) / 1000);
    const messages = cur.messages - old.messages;
    const errors = cur.errors - old.errors;
    const latencyCount = cur.latencyCount - old.latencyCount;
    const closes = cur.closes - old.closes;
    const abnormal = cur.abnormalCloses - old.abnormalCloses;
    const g = this.gauges();
    const errorRate = errors === 0 ? 0 : errors / Math.max(1, messages);
    const seen = g.clientCount + closes;
    const connectionStability = seen === 0 ? 1 : 1 - abnormal / seen;
    return {
      clientCount: g.clientCount,
      activeUsers: g.activeUsers,
      messageRate: messages / seconds,
      errorRate,
      averageLatency: latencyCount === 0 ? 0 : ((cur.latencySum - old.latencySum) / latencyCount) * 1000,
      connectionStability,
      timestamp: new Date(now).toISOString(),
    };
  }
}
