import type { RecoveryProcedure } from '../types';
import { retryWithBackoff, type BackoffOptions } from '../../internal/backoff';

/** The spec's failure handling steps, as callbacks; only `connect` is required. */
export interface ReconnectSteps {
  /** 1. Close the existing connection. */
  close?: () => Promise<void> | void;
  /** 2. Clean up resources. */
  cleanup?: () => Promise<void> | void;
  /** 3. Connect (retried with exponential backoff). */
  connect: (attempt: number) => Promise<void> | void;
  /** 4. Verify the new connection with a cheap call. */
  verify?: () => Promise<void> | void;
  /** 5. Restore subscriptions / update handlers. */
  restore?: () => Promise<void> | void;
}

/**
 * A reconnect procedure as the specification describes (close, clean up, reconnect with backoff,
 * verify, restore): used for WebSocket clients and the Telegram client alike.
 */
export function createReconnectProcedure(steps: ReconnectSteps, backoff: BackoffOptions): RecoveryProcedure {
  return async (ctx) => {
    if (steps.close) await ctx.step('close', steps.close);
    if (steps.cleanup) await ctx.step('cleanup', steps.cleanup);
    await ctx.step('reconnect', () => retryWithBackoff(async (attempt) => {
      await steps.connect(attempt);
    }, { ...backoff, signal: ctx.signal, onAttempt: (a) => { if (a.error) ctx.logger.warn({ attempt: a.attempt, nextDelayMs: a.delayMs }, 'reconnect attempt failed'); } }));
    if (steps.verify) await ctx.step('verify', steps.verify);
    if (steps.restore) await ctx.step('restore', steps.restore);
  };
}
