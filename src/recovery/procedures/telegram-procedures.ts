import type { RecoveryProcedure } from '../types';
import type { TelegramTelemetry } from '../../../instrumentations/telegram/telegram-telemetry';

/**
 * Built-in `telegram.reconnect`: the session monitor's recovery (reconnect with backoff, verify
 * with a cheap call, restore update handlers) for every monitored session. Fails when one fails.
 */
export function createTelegramReconnectProcedure(telegram: TelegramTelemetry): RecoveryProcedure {
  return async (ctx) => {
    const sessions = telegram.sessions();
    if (sessions.length === 0) throw new Error('no Telegram session is monitored (call telemetry.telegram.monitorSession first)');
    for (const [i, s] of sessions.entries()) {
      const action = await ctx.step(`reconnect session ${i + 1}`, () => s.recover());
      if (action === 'recovery_failed') throw new Error(`session ${i + 1} did not recover`);
    }
  };
}

/**
 * Built-in `telegram.failover`: moves every monitored session to a standby authorization from its
 * pool (never running one session in two places). Fails when a failover fails.
 */
export function createTelegramFailoverProcedure(telegram: TelegramTelemetry): RecoveryProcedure {
  return async (ctx) => {
    const sessions = telegram.sessions();
    if (sessions.length === 0) throw new Error('no Telegram session is monitored (call telemetry.telegram.monitorSession first)');
    for (const [i, s] of sessions.entries()) {
      const action = await ctx.step(`fail over session ${i + 1}`, () => s.failover(ctx.reason));
      if (action === 'failover_failed') throw new Error(`session ${i + 1} could not fail over`);
    }
  };
}
