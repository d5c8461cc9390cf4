import { performance } from 'node:perf_hooks';
import { backoffDelay } from '../../internal/backoff';
import type { Clock, DeliveryOutcome, Notification, Notifier, NotifyResult } from '../types';

/** Retry and bound settings of one channel's queue. */
export interface DeliveryQueueOptions {
  capacity: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
  /** A notification older than this is given up (counted as failed). */
  maxAgeMs: number;
  /** Per-attempt timeout: the attempt is abandoned (and its signal aborted) after this long. */
  timeoutMs: number;
  clock: Clock;
  random?: () => number;
  onOutcome(channel: string, outcome: DeliveryOutcome, n: Notification, error?: string): void;
}

/** A queued notification as the alert journal keeps it: attempts and age survive a restart. */
export interface QueuedNotification {
  n: Notification;
  attempts: number;
  enqueuedAt: number;
}

/** Pause between attempts while draining at shutdown (real time): short, but never a busy loop. */
const DRAIN_PAUSE_MS = 50;

/**
 * One channel's outbound queue: bounded, ordered (first in, first out), retried with exponential
 * backoff and jitter, never blocking the caller or another channel. Exactly one attempt is in
 * flight at a time, whoever starts it (the backoff timer, an enqueue, or shutdown's flush), so an
 * entry is never attempted twice at once nor counted twice. Every notification carrying a state
 * change is kept until delivered, failed or dropped at a bound; only a repeat of a group that still
 * has a notification waiting is skipped (the waiting one already carries the group's state).
 */
export class DeliveryQueue {
  private readonly entries: QueuedNotification[] = [];
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private current: AbortController | undefined;
  /** Set by flush(): attempts follow each other without backoff, driven by flush's loop. */
  private draining = false;
  private closed = false;

  constructor(private readonly notifier: Notifier, private readonly opts: DeliveryQueueOptions) {}

  get channel(): string {
    return this.notifier.channel;
  }

  /** Pending notifications (including one being sent). */
  get size(): number {
    return this.entries.length;
  }

  /** Whether a notification of this group is still waiting (or being sent). */
  holds(groupKey: string): boolean {
    return this.entries.some((e) => e.n.groupKey === groupKey);
  }

  /** What is still to be delivered, oldest first (the one in flight included). */
  waiting(): QueuedNotification[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Puts back what a previous run left undelivered, ahead of anything queued since, and starts sending. */
  restore(entries: readonly QueuedNotification[]): void {
    this.entries.unshift(...entries.map((e) => ({ ...e })));
    this.kick();
  }

  /**
   * Queues a notification. Returns false when it was not queued: a repeat of a group that still
   * has one waiting (skipped, not counted), or the queue is closed (counted as dropped).
   */
  enqueue(n: Notification): boolean {
    if (this.closed) {
      this.opts.onOutcome(this.channel, 'dropped', n, 'queue closed');
      return false;
    }
    if (n.reason === 'repeat' && this.holds(n.groupKey)) return false;
    if (this.entries.length >= this.opts.capacity) {
      // The oldest waiting entry goes (never the one in flight: its outcome is still to come).
      const [dropped] = this.entries.splice(this.inFlight ? 1 : 0, 1);
      if (dropped) this.opts.onOutcome(this.channel, 'dropped', dropped.n, `queue full (${this.opts.capacity})`);
    }
    this.entries.push({ n, attempts: 0, enqueuedAt: this.opts.clock.now() });
    this.kick();
    return true;
  }

  private backoff(attempts: number): number {
    const o = this.opts;
    return backoffDelay(attempts, { initialMs: o.initialBackoffMs, maxMs: o.maxBackoffMs, jitter: o.jitter }, o.random);
  }

  /** Starts an attempt on the head unless one is in flight or a backoff wait is pending. */
  private kick(): void {
    const head = this.entries[0];
    if (!head || this.inFlight || this.timer !== undefined || this.closed) return;
    this.inFlight = this.attempt(head).finally(() => {
      this.inFlight = undefined;
      // While draining, flush's loop paces the attempts.
      if (!this.draining) this.kick();
    });
  }

  /** One attempt, raced against the per-attempt timeout: a notifier that ignores its signal cannot stall the channel. */
  private async call(n: Notification, ctrl: AbortController): Promise<NotifyResult> {
    const stopped = new Promise<NotifyResult>((resolve) => {
      ctrl.signal.addEventListener('abort', () => {
        const reason: unknown = ctrl.signal.reason;
        resolve({ ok: false, retryable: true, error: reason instanceof Error ? reason.message : 'aborted' });
      }, { once: true });
    });
    const t = this.opts.clock.setTimeout(() => ctrl.abort(new Error(`attempt timed out after ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
    try {
      const sent = Promise.resolve()
        .then(() => this.notifier.notify(n, ctrl.signal))
        // Notifiers should not throw; if one does, treat it as a retryable failure.
        .catch((err: unknown) => ({ ok: false as const, retryable: true, error: err instanceof Error ? err.message : String(err) }));
      return await Promise.race([sent, stopped]);
    } finally {
      this.opts.clock.clearTimeout(t);
    }
  }

  private async attempt(entry: QueuedNotification): Promise<void> {
    entry.attempts++;
    const ctrl = new AbortController();
    this.current = ctrl;
    const result = await this.call(entry.n, ctrl);
    this.current = undefined;
    const idx = this.entries.indexOf(entry);
    // Dropped meanwhile (shutdown deadline): its outcome was counted then, not again.
    if (idx < 0) return;
    if (result.ok) {
      this.entries.splice(idx, 1);
      this.opts.onOutcome(this.channel, 'sent', entry.n);
    } else if (!result.retryable || this.opts.clock.now() - entry.enqueuedAt >= this.opts.maxAgeMs) {
      this.entries.splice(idx, 1);
      this.opts.onOutcome(this.channel, 'failed', entry.n, result.error);
    } else {
      this.opts.onOutcome(this.channel, 'retried', entry.n, result.error);
      if (!this.draining) {
        this.timer = this.opts.clock.setTimeout(() => {
          this.timer = undefined;
          this.kick();
        }, this.backoff(entry.attempts));
      }
    }
  }

  /**
   * Tries to deliver everything still queued, ignoring backoff waits, until `deadlineMs` passes;
   * then aborts the attempt in flight, and counts whatever is left as dropped, unless `keep` (an
   * alert journal holds them for the next start: they stay in `waiting()`). Used by shutdown.
   */
  async flush(deadlineMs: number, keep = false): Promise<void> {
    this.draining = true;
    if (this.timer !== undefined) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Real time, not the injected clock: the deadline bounds how long shutdown really waits.
    const until = performance.now() + deadlineMs;
    const left = (): number => until - performance.now();
    while (this.entries.length > 0 && left() > 0) {
      this.kick();
      const head = this.entries[0];
      const running = this.inFlight;
      if (!running) break;
      let deadline: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        running.then(() => true),
        new Promise<boolean>((resolve) => { deadline = setTimeout(resolve, left(), false); }),
      ]);
      clearTimeout(deadline);
      if (!settled) break;
      if (this.entries[0] === head && left() > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(DRAIN_PAUSE_MS, left())));
    }
    this.closed = true;
    this.current?.abort(new Error('shutdown deadline'));
    if (keep) return;
    for (const e of this.entries.splice(0)) this.opts.onOutcome(this.channel, 'dropped', e.n, 'shutdown deadline');
  }
}
