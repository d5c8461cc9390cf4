import { createHash } from 'node:crypto';
import { DeadlineError, withDeadline, type MonitorClock } from './deadline';

/** Set on an MTProtoSender by the instrumentation after GramJS reported UpdateConnectionState.broken (-404). @internal */
export const BROKEN = Symbol.for('pulseguard.telegram.broken');

/**
 * Bumped on an MTProtoSender by the instrumentation at every connect and reconnect. A keep-alive
 * ping or a call that was waiting across a bump measured the outage, not the DC's latency. @internal
 */
export const GENERATION = Symbol.for('pulseguard.telegram.senderGeneration');

/** The connection generation of a client's main sender (0 before its first connect). @internal */
export function connectionGeneration(client: object): number {
  return internals(client)._sender?.[GENERATION] ?? 0;
}

/** GramJS internals the monitor reads to control a client safely (never exported publicly). */
interface SenderInternals {
  _retries?: number;
  _userConnected?: boolean;
  isConnecting?: boolean;
  [BROKEN]?: boolean;
  [GENERATION]?: number;
}
interface ClientInternals {
  _sender?: SenderInternals;
  _destroyed?: boolean;
  connected?: boolean;
  // StringSession keeps the parsed key in `_key` until connect() loads it into an AuthKey.
  session?: { getAuthKey?(dcId?: number): { getKey?(): Buffer | undefined } | undefined; _key?: Buffer };
  connect(): Promise<unknown>;
  disconnect(): Promise<unknown>;
}

const internals = (client: object): ClientInternals => client as ClientInternals;

/** True once the app called `client.destroy()`: pulseguard never reconnects such a client. */
export function isDestroyed(client: object): boolean {
  return internals(client)._destroyed === true;
}

/** True after the server forgot the auth key (transport error -404) until the sender connects again. */
export function isBroken(client: object): boolean {
  return internals(client)._sender?.[BROKEN] === true;
}

/** True while the client has a live or connecting main connection (not destroyed). */
export function isLive(client: object): boolean {
  const c = internals(client);
  if (c._destroyed === true) return false;
  return c._sender?._userConnected === true || c._sender?.isConnecting === true;
}

/**
 * A stable id for the session a client uses: a hash of its auth key (never the key or the
 * session string), or undefined before a key exists (a fresh login).
 */
export function sessionKeyOf(client: object): string | undefined {
  try {
    const session = internals(client).session;
    const key = session?.getAuthKey?.()?.getKey?.() ?? (Buffer.isBuffer(session?._key) ? session._key : undefined);
    if (!key || key.length === 0) return undefined;
    return createHash('sha256').update(key).digest('hex').slice(0, 32);
  } catch {
    return undefined;
  }
}

// Every main client the instrumentation saw connecting, by session key: the replacement client
// an app builds on the same session must stop the monitor from reviving the old one.
const clientsBySession = new Map<string, Set<WeakRef<object>>>();

/** Remembers that `client` runs the session `key` (called when its sender connects). @internal */
export function noteClientSession(client: object): void {
  const key = sessionKeyOf(client);
  if (key === undefined) return;
  let set = clientsBySession.get(key);
  if (!set) {
    set = new Set();
    clientsBySession.set(key, set);
  }
  for (const ref of set) {
    const c = ref.deref();
    if (c === client) return;
    if (c === undefined || isDestroyed(c)) set.delete(ref);
  }
  set.add(new WeakRef(client));
}

/** Another client of this process that runs (or is connecting) the same session, if any. */
export function otherLiveClient(client: object, key: string | undefined = sessionKeyOf(client)): object | undefined {
  if (key === undefined) return undefined;
  for (const ref of clientsBySession.get(key) ?? []) {
    const c = ref.deref();
    if (c !== undefined && c !== client && isLive(c)) return c;
  }
  return undefined;
}

/**
 * `client.connect()` bounded by `ms`. GramJS's connect retries forever by default and returns
 * false (without throwing) when it gives up, so a false result with the client still down is a
 * failure, and at the deadline (or abort) the retry loop is stopped: the sender's retry count
 * drops to 0 until this attempt ends, and a connection that still completes afterwards is
 * closed again, because nobody wants it any more.
 */
export async function connectWithin(client: object, ms: number, clock: MonitorClock, signal?: AbortSignal): Promise<void> {
  const c = internals(client);
  const attempt = c.connect();
  try {
    const ok = await withDeadline(attempt, ms, 'connect', clock, signal);
    if (ok === false && c.connected !== true) throw new Error('connect gave up: the DC did not answer');
  } catch (err) {
    if (err instanceof DeadlineError) abandonConnect(c, attempt);
    throw err;
  }
}

function abandonConnect(c: ClientInternals, attempt: Promise<unknown>): void {
  const sender = c._sender;
  const retries = sender?._retries;
  if (sender && retries !== undefined) sender._retries = 0;
  attempt.then(() => {
    // The attempt in progress at the deadline may still succeed: close that connection.
    if (c.connected === true) return c.disconnect();
    return undefined;
  }).catch(() => undefined).finally(() => {
    if (sender && retries !== undefined && sender._retries === 0) sender._retries = retries;
  });
}
