import { RateLimiterQueue, type RateLimiterAbstract } from './rate-limiter-flexible';

interface KeyQueue {
  readonly queue: RateLimiterQueue;
  pending: number;
  lastUsed: number;
}

/** What a queued call got: the points left after it, and how long it waited. @internal */
export interface QueueResult {
  remaining: number;
  waitedMs: number;
}

/**
 * FIFO waiting for outbound calls (Telegram sends), one rate-limiter-flexible RateLimiterQueue per
 * key. RateLimiterQueue keeps a queue per key forever; with per-chat keys that would grow without
 * bound, so idle queues (nobody waiting, unused for a window) are dropped in an amortized sweep
 * instead of with a timer per key.
 *
 * @internal
 */
export class KeyedQueues {
  private readonly queues = new Map<string, KeyQueue>();
  private lastSweep: number;

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly maxQueueSize: number,
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {
    this.lastSweep = now();
  }

  /** Number of keys with a live queue (for tests and health). */
  get size(): number {
    return this.queues.size;
  }

  /** True when callers for `key` are waiting (or being served) in its queue. */
  hasWaiters(key: string): boolean {
    const q = this.queues.get(key);
    return q !== undefined && q.pending > 0;
  }

  /**
   * Waits until `points` are free for `key`, then takes them. Rejects with RateLimiterQueueError
   * when the key's queue is full, or with the store's Error.
   */
  async removeTokens(key: string, points: number): Promise<QueueResult> {
    const started = this.now();
    this.sweep(started);
    let q = this.queues.get(key);
    if (q === undefined) {
      q = { queue: new RateLimiterQueue(this.limiter, { maxQueueSize: this.maxQueueSize }), pending: 0, lastUsed: started };
      this.queues.set(key, q);
    }
    q.pending++;
    try {
      const remaining = await q.queue.removeTokens(points, key);
      const end = this.now();
      return { remaining, waitedMs: end - started };
    } finally {
      q.pending--;
      q.lastUsed = this.now();
    }
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.idleMs) return;
    this.lastSweep = now;
    for (const [key, q] of this.queues) {
      if (q.pending === 0 && now - q.lastUsed >= this.idleMs) this.queues.delete(key);
    }
  }

  /** Forgets every idle queue (waiters keep their promises; RateLimiterQueue has no cancel). */
  clear(): void {
    for (const [key, q] of this.queues) if (q.pending === 0) this.queues.delete(key);
  }
}
