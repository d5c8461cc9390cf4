import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { backoffDelay } from '../../internal/backoff';
import type { Clock, DeliveryOutcome, Notification, Notifier } from '../types';

/** Retry and bound settings of one channel's queue. */
export interface DeliveryQueueOptions {
  capacity: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
  /** A notification older than this is given up (counted as failed). */
  maxAgeMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  clock: Clock;
  random?: () => number;
  onOutcome(channel: string, outcome: DeliveryOutcome, n: Notification, error?: string): void;
}

interface Entry {
  n: Notification;
  attempts: number;
  enqueuedAt: number;
}

/**
 * One channel's outbound queue: bounded, ordered, retried with exponential backoff and jitter,
 * never blocking the caller or another channel. A newer notification for the same group replaces
 * a queued older one (it carries the group's current state), so an outage of any length holds at
 * most one entry per group and loses no alert: the latest state is delivered when the channel is back.
 */
export class DeliveryQueue {
  private readonly entries: Entry[] = [];
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly notifier: Notifier, private readonly opts: DeliveryQueueOptions) {}

  get channel(): string {
    return this.notifier.channel;
  }

  /** Pending notifications (including one being sent). */
  get size(): number {
    return this.entries.length;
  }

  enqueue(n: Notification): void {
    if (this.closed) {
      this.opts.onOutcome(this.channel, 'dropped', n, 'queue closed');
      return;
    }
    const same = this.entries.findIndex((e, i) => e.n.groupKey === n.groupKey && !(i === 0 && this.inFlight));
    if (same >= 0) {
      // Coalesce: keep the first enqueue time so maxAge still bounds a group that never gets through.
      this.entries[same] = { n, attempts: this.entries[same].attempts, enqueuedAt: this.entries[same].enqueuedAt };
    } else {
      if (this.entries.length >= this.opts.capacity) {
        const dropIndex = this.inFlight ? 1 : 0;
        const [dropped] = this.entries.splice(dropIndex, 1);
        if (dropped) this.opts.onOutcome(this.channel, 'dropped', dropped.n, `queue full (${this.opts.capacity})`);
      }
      this.entries.push({ n, attempts: 0, enqueuedAt: this.opts.clock.now() });
    }
    if (!this.inFlight && this.timer === undefined) this.pump();
  }

  private backoff(attempts: number): number {
    const o = this.opts;
    return backoffDelay(attempts, { initialMs: o.initialBackoffMs, maxMs: o.maxBackoffMs, jitter: o.jitter }, o.random);
  }

  private pump(): void {
    this.timer = undefined;
    const head = this.entries[0];
    if (!head || this.inFlight) return;
    this.inFlight = this.attempt(head).finally(() => {
      this.inFlight = undefined;
      if (this.entries.length > 0 && this.timer === undefined && !this.closed) this.pump();
    });
  }

  private async attempt(entry: Entry): Promise<void> {
    entry.attempts++;
    const ctrl = new AbortController();
    const t = this.opts.clock.setTimeout(() => ctrl.abort(), this.opts.timeoutMs);
    let result;
    try {
      result = await this.notifier.notify(entry.n, ctrl.signal);
    } catch (err) {
      // Notifiers should not throw; if one does, treat it as a retryable failure.
      result = { ok: false as const, retryable: true, error: err instanceof Error ? err.message : String(err) };
    } finally {
      this.opts.clock.clearTimeout(t);
    }
    const idx = this.entries.indexOf(entry);
    if (result.ok) {
      if (idx >= 0) this.entries.splice(idx, 1);
      this.opts.onOutcome(this.channel, 'sent', entry.n);
    } else if (!result.retryable || this.opts.clock.now() - entry.enqueuedAt >= this.opts.maxAgeMs || this.closed) {
      if (idx >= 0) this.entries.splice(idx, 1);
      this.opts.onOutcome(this.channel, 'failed', entry.n, result.error);
    } else {
      this.opts.onOutcome(this.channel, 'retried', entry.n, result.error);
      // The head may have been replaced by a newer state of the same group while in flight.
      this.timer = this.opts.clock.setTimeout(() => this.pump(), this.backoff(entry.attempts));
    }
  }

  /**
   * Tries to deliver everything still queued, ignoring backoff waits, until `deadlineMs` passes;
   * whatever is left is counted as dropped. Used by shutdown.
   */
  async flush(deadlineMs: number): Promise<void> {
    if (this.timer !== undefined) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Real time, not the injected clock: the deadline bounds how long shutdown really waits.
    const until = performance.now() + deadlineMs;
    while (this.entries.length > 0 && performance.now() < until) {
      if (this.inFlight) await this.inFlight;
      else {
        const before = this.entries.length;
        const head = this.entries[0];
        await this.attempt(head);
        if (this.timer !== undefined) {
          this.opts.clock.clearTimeout(this.timer);
          this.timer = undefined;
        }
        if (this.entries.length === before && this.entries[0] === head) await delay(50, undefined, { ref: false });
      }
    }
    this.closed = true;
    for (const e of this.entries.splice(0)) this.opts.onOutcome(this.channel, 'dropped', e.n, 'shutdown deadline');
  }
}
