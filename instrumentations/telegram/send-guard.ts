import { createHash } from 'node:crypto';
import { parseAt } from '../../src/config/fast-parse';
import type { PulseguardConfig } from '../../src/config/types';
import { createRateLimits } from '../../src/limits/limiter-registry';
import type { Decision, RateLimitPolicyInput, RateLimits } from '../../src/limits/types';

/** Policy names of the spec's Telegram limits (their numbers live in the configuration schema). */
export const POLICY_MESSAGES = 'telegram.messagesSent' as const;
export const POLICY_MESSAGES_PER_CHAT = 'telegram.messagesPerChat' as const;
export const POLICY_UPLOADS = 'telegram.mediaUploads' as const;
export const POLICY_INVITES = 'telegram.channelInvites' as const;

/** What is being sent. */
export type SendKind = 'message' | 'upload' | 'invite';

/** Options of {@link TelegramSendGuard}. */
export interface SendGuardOptions {
  /**
   * The rate limiter that decides every send. `telemetry.telegram.sendGuard()` passes
   * `telemetry.limits`, so the configured `rateLimits.policies['telegram.*']` and
   * `rateLimits.store` (memory or Redis) apply and decisions count in `ratelimit.decisions`.
   * @default a memory limiter with the configuration schema's policies, overridden by `policies`
   */
  limits?: RateLimits;
  /** Policies of the default limiter (ignored when `limits` is set), merged over the schema's. @default {} */
  policies?: Readonly<Record<string, RateLimitPolicyInput | false>>;
}

/** Why a send was refused; `code` names the limit. */
export type SendGuardErrorCode = 'FILE_TOO_LARGE' | 'QUEUE_FULL' | 'THROTTLED' | 'OVER_LIMIT' | 'STORE_ERROR';

/** Thrown when a send cannot be made within the limits; the send itself never ran. */
export class SendGuardError extends Error {
  override readonly name = 'SendGuardError';
  constructor(readonly code: SendGuardErrorCode, message: string, readonly decision?: Decision) {
    super(message);
  }
}

/** Options of one {@link TelegramSendGuard.run}. */
export interface SendOptions {
  /** The chat (per-chat limit); hashed, never exported. */
  chat?: string | number | bigint;
  /** Upload size in bytes, checked against the uploads policy's `maxSizeBytes` (50 MB). */
  sizeBytes?: number;
  /** Points to take: messages of an album, users of an invite. @default 1 */
  count?: number;
}

function errorFor(d: Decision, points: number): SendGuardError {
  switch (d.reason) {
    case 'too_large':
      return new SendGuardError('FILE_TOO_LARGE', `upload is above the ${d.policy} size limit`, d);
    case 'queue_full':
      return new SendGuardError('QUEUE_FULL', `${d.policy}: too many sends waiting`, d);
    case 'store_error':
      return new SendGuardError('STORE_ERROR', `${d.policy}: the rate-limit store failed`, d);
    default:
      return new SendGuardError('THROTTLED', `${d.policy}: ${points} over the limit, retry in ${d.retryAfterSeconds} s`, d);
  }
}

/**
 * Keeps a Telegram client under the specification's limits, so FLOOD_WAIT is avoided rather than
 * suffered. Every decision is the rate limiter's (src/limits): its policies, its store, its
 * `ratelimit.decisions` series. Queue-mode policies (the default for `telegram.*`) hold a send
 * FIFO per policy and key until a slot frees; the limiter's wait timer is a ref'ed timer, so a
 * script whose only work is queued sends stays alive until they are sent. Chat keys are hashed
 * (per-chat limits are enforced, not reported per chat).
 */
export class TelegramSendGuard {
  /** The limiter deciding sends. */
  readonly limits: RateLimits;

  constructor(opts: SendGuardOptions = {}) {
    this.limits = opts.limits ?? createRateLimits({ config: parseAt<PulseguardConfig['rateLimits']>('config', { policies: opts.policies ?? {} }, ['rateLimits']) });
  }

  /**
   * Runs `send` once every policy for `kind` has a slot: messages take `count` points (an album
   * counts as its messages) of the per-chat and the global policy, uploads `count` points of
   * mediaUploads after the size check, invites one point per invited user of channelInvites.
   * Throws a {@link SendGuardError} (and does not send) when a policy refuses.
   */
  async run<T>(kind: SendKind, send: () => Promise<T>, opts: SendOptions = {}): Promise<T> {
    const count = Math.max(1, opts.count ?? 1);
    if (kind === 'upload') await this.take(POLICY_UPLOADS, 'all', count, opts.sizeBytes);
    else if (kind === 'invite') await this.take(POLICY_INVITES, 'all', count, undefined);
    else {
      if (opts.chat !== undefined) await this.take(POLICY_MESSAGES_PER_CHAT, chatKey(opts.chat), count, undefined);
      await this.take(POLICY_MESSAGES, 'all', count, undefined);
    }
    return send();
  }

  private async take(policy: string, key: string, points: number, sizeBytes: number | undefined): Promise<void> {
    const p = this.limits.policies().get(policy);
    // A policy set to `false` in the configuration lifts that limit.
    if (p === undefined) return;
    if (points > p.points) throw new SendGuardError('OVER_LIMIT', `${policy}: ${points} points can never fit a budget of ${p.points}`);
    const d = await this.limits.consume(policy, key, points, sizeBytes === undefined ? undefined : { sizeBytes });
    if (!d.allowed) throw errorFor(d, points);
  }
}

/** Chat ids never leave the process: the per-chat key is a short hash. */
function chatKey(chat: string | number | bigint): string {
  return createHash('sha256').update(String(chat)).digest('base64url').slice(0, 16);
}
