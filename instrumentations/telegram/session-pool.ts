import { registerSecret } from '../../src/logging/redaction';

/** A standby authorization leased from a pool. `session` is a secret (a StringSession). */
export interface TelegramSessionLease {
  /** A name safe to log and report (never the session string). */
  readonly id: string;
  /** The GramJS StringSession string. */
  readonly session: string;
}

/**
 * Where standby authorizations come from. A lease is exclusive: `acquire` never hands the same
 * session to two holders, which is what keeps one session from running in two places
 * (AUTH_KEY_DUPLICATED). A fleet needs a shared implementation (a database row lock, a Redis
 * key with a TTL); {@link createMemorySessionPool} is for one process.
 */
export interface TelegramSessionPool {
  /** Leases a standby, or undefined when none is free. */
  acquire(): Promise<TelegramSessionLease | undefined>;
  /** Returns a lease. `retire: true` when the session is dead (revoked, deactivated) and must not be reused. */
  release(lease: TelegramSessionLease, opts: { retire: boolean }): Promise<void>;
}

/** A process-local pool over a fixed list of sessions; session strings are registered as secrets. */
export function createMemorySessionPool(sessions: ReadonlyArray<TelegramSessionLease>): TelegramSessionPool & { available(): number } {
  const free: TelegramSessionLease[] = [];
  for (const s of sessions) {
    registerSecret(s.session);
    free.push({ id: s.id, session: s.session });
  }
  const leased = new Set<string>();
  return {
    async acquire() {
      const lease = free.shift();
      if (lease) leased.add(lease.id);
      return lease;
    },
    async release(lease, { retire }) {
      if (!leased.delete(lease.id) && free.some((f) => f.id === lease.id)) return;
      if (!retire) free.push(lease);
    },
    available: () => free.length,
  };
}
