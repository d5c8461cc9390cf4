import { createHash } from 'node:crypto';
import type { HotHistogramSeries, HotSum } from '../../src/metrics/hot-metrics';
import { pulseguardMetrics } from '../../src/metrics/registry';
import { DEFAULT_POLICIES } from '../../src/config/schema/rate-limits';
import { createMemorySendGuardLimiter, type SendGuardLimiter, type SendGuardPolicy } from './send-guard-limiter';
import {
  ATTR_RATELIMIT_OUTCOME, ATTR_RATELIMIT_POLICY, METRIC_RATELIMIT_DECISIONS, METRIC_RATELIMIT_QUEUE_WAIT,
  RATELIMIT_OUTCOME_VALUE_ALLOWED, RATELIMIT_OUTCOME_VALUE_QUEUED, RATELIMIT_OUTCOME_VALUE_REJECTED,
} from './semconv';

/** Policy names from DEFAULT_POLICIES (the spec's Telegram limits). */
export const POLICY_MESSAGES = 'telegram.messagesSent' as const;
export const POLICY_MESSAGES_PER_CHAT = 'telegram.messagesPerChat' as const;
export const POLICY_UPLOADS = 'telegram.mediaUploads' as const;
export const POLICY_INVITES = 'telegram.channelInvites' as const;

/** What is being sent. */
export type SendKind = 'message' | 'upload' | 'invite';

/** Options of {@link TelegramSendGuard}. */
export interface SendGuardOptions {
  /** Policies by name. @default the four telegram.* policies of DEFAULT_POLICIES (30/min, 20 per chat/min, 10 uploads/min up to 50 MB, 50 invites/day) */
  policies?: Readonly<Record<string, SendGuardPolicy>>;
  /** Limiter to use. @default a rate-limiter-flexible memory limiter over `policies` */
  limiter?: SendGuardLimiter;
  /** Sleep used while queued (tests inject a fake clock). @default setTimeout, unref()ed */
  sleep?: (ms: number) => Promise<void>;
  /** A queued send that would wait longer than this is rejected instead. @default 86400000 */
  maxWaitMs?: number;
}

/** Thrown when a send cannot be made within the limits (too large, or the wait is too long). */
export class SendGuardError extends Error {
  override readonly name = 'SendGuardError';
  constructor(readonly code: 'FILE_TOO_LARGE' | 'WAIT_TOO_LONG', message: string) {
    super(message);
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Keeps a Telegram client under the specification's limits by queueing sends, so FLOOD_WAIT is
 * avoided rather than suffered. Each (policy, key) has a FIFO queue; the head waits for its
 * slot, the rest wait behind it. Chat keys are hashed and never exported (per-chat limits are
 * enforced, not reported per chat).
 */
export class TelegramSendGuard {
  private readonly policies: Readonly<Record<string, SendGuardPolicy>>;
  private readonly limiter: SendGuardLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxWaitMs: number;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly decisions = pulseguardMetrics.counter({ name: METRIC_RATELIMIT_DECISIONS, unit: '{decision}',
    description: 'Rate-limit decisions by policy and outcome.' });
  private readonly waits = pulseguardMetrics.histogram({ name: METRIC_RATELIMIT_QUEUE_WAIT, unit: 's',
    description: 'Time a queued request waited for its rate-limit slot.' }, [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600]);
  private readonly handles = new Map<string, HotSum>();
  private readonly waitHandles = new Map<string, HotHistogramSeries>();

  constructor(opts: SendGuardOptions = {}) {
    this.policies = opts.policies ?? {
      [POLICY_MESSAGES]: DEFAULT_POLICIES[POLICY_MESSAGES],
      [POLICY_MESSAGES_PER_CHAT]: DEFAULT_POLICIES[POLICY_MESSAGES_PER_CHAT],
      [POLICY_UPLOADS]: DEFAULT_POLICIES[POLICY_UPLOADS],
      [POLICY_INVITES]: DEFAULT_POLICIES[POLICY_INVITES],
    };
    this.limiter = opts.limiter ?? createMemorySendGuardLimiter(this.policies);
    this.sleep = opts.sleep ?? defaultSleep;
    this.maxWaitMs = opts.maxWaitMs ?? 24 * 60 * 60_000;
  }

  /**
   * Runs `send` once every policy for `kind` has a slot: messages take one point of the global
   * and the per-chat policy, uploads one of mediaUploads (after the size check), invites one
   * point per invited user of channelInvites.
   */
  async run<T>(kind: SendKind, send: () => Promise<T>, opts: { chat?: string | number | bigint; sizeBytes?: number; count?: number } = {}): Promise<T> {
    if (kind === 'upload') this.checkSize(opts.sizeBytes);
    for (const [policy, key, points] of this.plan(kind, opts)) await this.acquire(policy, key, points);
    return send();
  }

  /** Throws FILE_TOO_LARGE when an upload is above the mediaUploads policy's maxSizeBytes (50 MB). */
  checkSize(sizeBytes: number | undefined): void {
    const max = this.policies[POLICY_UPLOADS]?.maxSizeBytes;
    if (max !== undefined && sizeBytes !== undefined && sizeBytes > max) {
      this.count(POLICY_UPLOADS, RATELIMIT_OUTCOME_VALUE_REJECTED);
      throw new SendGuardError('FILE_TOO_LARGE', `upload of ${sizeBytes} bytes is above the ${max}-byte limit`);
    }
  }

  private plan(kind: SendKind, opts: { chat?: string | number | bigint; count?: number }): Array<[string, string, number]> {
    if (kind === 'upload') return [[POLICY_UPLOADS, 'all', 1]];
    if (kind === 'invite') return [[POLICY_INVITES, 'all', Math.max(1, opts.count ?? 1)]];
    const out: Array<[string, string, number]> = [];
    if (opts.chat !== undefined) out.push([POLICY_MESSAGES_PER_CHAT, chatKey(opts.chat), 1]);
    out.push([POLICY_MESSAGES, 'all', 1]);
    return out;
  }

  private acquire(policy: string, key: string, points: number): Promise<void> {
    if (!this.policies[policy]) return Promise.resolve();
    const queueKey = `${policy}\u0000${key}`;
    const prev = this.tails.get(queueKey) ?? Promise.resolve();
    const mine = prev.then(() => this.waitForSlot(policy, key, points));
    // The queue continues after a failure: the next caller must not inherit this one's error.
    const tail = mine.catch(() => undefined);
    this.tails.set(queueKey, tail);
    void tail.then(() => {
      if (this.tails.get(queueKey) === tail) this.tails.delete(queueKey);
    });
    return mine;
  }

  private async waitForSlot(policy: string, key: string, points: number): Promise<void> {
    const start = performance.now();
    let queued = false;
    for (;;) {
      const d = await this.limiter.consume(policy, key, points);
      if (d.allowed) break;
      if (performance.now() - start + d.retryAfterMs > this.maxWaitMs) {
        this.count(policy, RATELIMIT_OUTCOME_VALUE_REJECTED);
        throw new SendGuardError('WAIT_TOO_LONG', `${policy} would wait ${d.retryAfterMs} ms`);
      }
      queued = true;
      await this.sleep(d.retryAfterMs);
    }
    this.count(policy, queued ? RATELIMIT_OUTCOME_VALUE_QUEUED : RATELIMIT_OUTCOME_VALUE_ALLOWED);
    if (queued) {
      let h = this.waitHandles.get(policy);
      if (!h) {
        h = this.waits.series({ [ATTR_RATELIMIT_POLICY]: policy });
        this.waitHandles.set(policy, h);
      }
      h.record((performance.now() - start) / 1000);
    }
  }

  private count(policy: string, outcome: string): void {
    const k = `${policy}|${outcome}`;
    let h = this.handles.get(k);
    if (!h) {
      h = this.decisions.series({ [ATTR_RATELIMIT_POLICY]: policy, [ATTR_RATELIMIT_OUTCOME]: outcome });
      this.handles.set(k, h);
    }
    h.add(1);
  }
}

/** Chat ids never leave the process: the per-chat key is a short hash. */
function chatKey(chat: string | number | bigint): string {
  return createHash('sha256').update(String(chat)).digest('base64url').slice(0, 16);
}

/** A client whose invoke the guard can wrap (a GramJS TelegramClient). */
export interface GuardableClient {
  invoke(request: never, ...rest: never[]): Promise<unknown>;
}

type GuardedRequest = { className?: string; peer?: unknown; toPeer?: unknown; users?: unknown[] };

const MESSAGE_METHODS = new Set(['messages.SendMessage', 'messages.ForwardMessages', 'messages.SendMedia', 'messages.SendMultiMedia']);
const MEDIA_METHODS = new Set(['messages.SendMedia', 'messages.SendMultiMedia']);
const INVITE_METHODS = new Set(['channels.InviteToChannel']);

function peerKey(peer: unknown): string {
  if (peer !== null && typeof peer === 'object') {
    const p = peer as { userId?: unknown; chatId?: unknown; channelId?: unknown; className?: string };
    return String(p.userId ?? p.chatId ?? p.channelId ?? p.className ?? 'peer');
  }
  return String(peer);
}

/**
 * Routes a client's sends through the guard: every messages.SendMessage / ForwardMessages /
 * SendMedia / SendMultiMedia (per chat and global), media sends also as uploads, and
 * channels.InviteToChannel (one point per user). Works for client.sendMessage/sendFile too,
 * since they end in invoke. Returns a function that removes the guard.
 */
export function guardClient(client: GuardableClient, guard: TelegramSendGuard): () => void {
  const target = client as unknown as { invoke: (request: GuardedRequest, ...rest: unknown[]) => Promise<unknown> };
  const original = target.invoke;
  const guarded = function (this: unknown, request: GuardedRequest, ...rest: unknown[]): Promise<unknown> {
    const name = request?.className ?? '';
    const call = () => original.call(this, request, ...rest);
    if (INVITE_METHODS.has(name)) return guard.run('invite', call, { count: Array.isArray(request.users) ? request.users.length : 1 });
    if (!MESSAGE_METHODS.has(name)) return call();
    const chat = peerKey(request.toPeer ?? request.peer);
    if (MEDIA_METHODS.has(name)) return guard.run('upload', () => guard.run('message', call, { chat }));
    return guard.run('message', call, { chat });
  };
  target.invoke = guarded;
  return () => {
    if (target.invoke === guarded) target.invoke = original;
  };
}
