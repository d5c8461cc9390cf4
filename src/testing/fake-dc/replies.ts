import type { FakeAnswer, FakeReply, FakeResult } from './types';

/** HTTP-like error codes Telegram uses for each error family. */
function codeFor(message: string): number {
  if (/^(FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT|FLOOD_TEST_PHONE_WAIT)_\d+$/.test(message) || message === 'PEER_FLOOD') return 420;
  if (/_MIGRATE_\d+$/.test(message)) return 303;
  if (/^(AUTH_KEY_UNREGISTERED|AUTH_KEY_INVALID|SESSION_REVOKED|SESSION_EXPIRED|USER_DEACTIVATED.*|SESSION_PASSWORD_NEEDED)$/.test(message)) return 401;
  if (message === 'AUTH_KEY_DUPLICATED') return 406;
  if (message === 'RPC_CALL_FAIL' || message === 'RPC_MCGET_FAIL') return 500;
  return 400;
}

/** @internal */
export class ErrorReply implements FakeReply {
  readonly kind = 'error' as const;
  constructor(readonly message: string, readonly code: number) {}
}

/** @internal */
export class DelayReply implements FakeReply {
  readonly kind = 'delay' as const;
  constructor(readonly ms: number, readonly then: FakeAnswer) {}
}

/** @internal */
export class NoReply implements FakeReply {
  readonly kind = 'none' as const;
}

/**
 * Answers with a real `rpc_error` (GramJS builds the error through RPCMessageToError as it
 * would for Telegram). The code is inferred from the message (420 flood, 303 migrate, 401
 * auth, 406 duplicated, 400 otherwise) unless given.
 *
 * ```ts
 * dc.once('messages.SendMessage', () => rpcError('FLOOD_WAIT_3'));
 * ```
 */
export function rpcError(message: string, code?: number): FakeReply {
  return new ErrorReply(message, code ?? codeFor(message));
}

/** Answers after `ms` milliseconds (a slow DC); `then` is any other answer. */
export function delay(ms: number, then: FakeAnswer): FakeReply {
  return new DelayReply(ms, then);
}

/** Never answers (the request stays pending until the client gives up or reconnects). */
export function noReply(): FakeReply {
  return new NoReply();
}

/** @internal */
export function isReply(a: FakeAnswer): a is FakeReply {
  return a instanceof ErrorReply || a instanceof DelayReply || a instanceof NoReply;
}

/** @internal */
export type { FakeResult };
