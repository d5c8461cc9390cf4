import type { RedisClient } from '../../internal/redis-client';
import type { Logger } from '../../logging/logger';
import { alertFingerprint } from '../fingerprint';
import type { ChannelName, Clock, MatrixLevel, Notification } from '../types';
import { raceDeadline } from '../../internal/race-deadline';
import { withTimeout } from '../../internal/safe-call';
import { claimNotification } from './fleet-claim';

/** Options of {@link FleetGate}. */
export interface FleetGateOptions {
  /** The rate limiter's Redis client (the store the fleet already shares). */
  client: Pick<RedisClient, 'eval'>;
  /** Key of a group: `<keyPrefix>:<service>:<group key>`. */
  keyPrefix: string;
  service: string;
  /** A group's record lives this long after its last notification attempt. */
  ttlMs: number;
  /** A claim slower than this counts as a Redis failure: the notification is sent. */
  timeoutMs: number;
  repeatIntervalMs: (level: MatrixLevel) => number;
  clock: Clock;
  logger: Logger;
}

/** Channels that stay per replica: each process's own log is where its own alerts belong. */
const LOCAL_CHANNELS: ReadonlySet<ChannelName> = new Set(['log']);

/**
 * Fleet de-duplication: decides which replica sends a notification to the shared channels (Slack,
 * e-mail, webhook) so that N replicas running the evaluator notify once per state change. The
 * evaluator stays the judge and the dispatcher still groups, silences and repeats; this only asks
 * Redis (one Lua call per notification, see fleet-claim.ts) whether the fleet has already said it.
 * Notifications of one group keep their order. When Redis fails or is slow, the replica sends on
 * its own (a duplicate is better than a lost alert), logged once per outage.
 */
export class FleetGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private failing = false;

  constructor(private readonly opts: FleetGateOptions) {}

  /** Enqueues `n` on each of `channels`: local ones at once, shared ones if this replica wins the claim. */
  route(n: Notification, channels: readonly ChannelName[], enqueue: (channel: ChannelName) => void): void {
    const shared = channels.filter((ch) => !LOCAL_CHANNELS.has(ch));
    for (const ch of channels) if (LOCAL_CHANNELS.has(ch)) enqueue(ch);
    if (shared.length === 0) return;
    const now = this.opts.clock.now();
    const previous = this.tails.get(n.groupKey) ?? Promise.resolve();
    const next = previous
      .then(() => this.claim(n, now))
      .then((won) => {
        if (won) for (const ch of shared) enqueue(ch);
      });
    this.tails.set(n.groupKey, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.tails.get(n.groupKey) === next) this.tails.delete(n.groupKey);
    });
  }

  /** Waits (at most `deadlineMs`) for the claims in flight, so shutdown flushes what they enqueue. */
  async idle(deadlineMs: number): Promise<void> {
    if (this.pending.size === 0) return;
    await raceDeadline(() => Promise.all([...this.pending]), deadlineMs);
  }

  private async claim(n: Notification, now: number): Promise<boolean> {
    const firing: string[] = [];
    const resolved: string[] = [];
    for (const a of n.alerts) (a.status === 'firing' ? firing : resolved).push(alertFingerprint(a.labels));
    try {
      const won = await withTimeout(claimNotification(this.opts.client, {
        key: `${this.opts.keyPrefix}:${this.opts.service}:${n.groupKey}`, firing, resolved, now,
        repeatIntervalMs: this.opts.repeatIntervalMs(n.level),
        kind: n.reason === 'repeat' ? 'repeat' : n.reason === 'escalation' ? 'escalation' : 'state',
        ttlMs: this.opts.ttlMs,
      }), this.opts.timeoutMs, 'fleet de-duplication: the Redis claim');
      if (this.failing) {
        this.failing = false;
        this.opts.logger.info('fleet de-duplication: Redis answering again');
      }
      return won;
    } catch (err) {
      if (!this.failing) {
        this.failing = true;
        this.opts.logger.warn({ err }, 'fleet de-duplication: Redis unavailable; this replica sends its notifications on its own until it returns');
      }
      return true;
    }
  }
}
