import { isWrapped } from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../../src/internal/internal-errors';
import { CALL } from '../call-tracker';
import { tagRawRpcError } from '../error-classifier';
import type { ClientLike, ErrorsModule, SenderLike, TlRequest, UsersModule } from '../internal-types';
import type { PatchContext } from './patch-context';

const COMPONENT = 'telegram.instrumentation';

/**
 * Patches `client/users.js` `invoke`: one call context (span, duration, in-flight entry) per
 * call, across GramJS's retries and flood sleeps. @internal
 */
export function patchInvoke(m: UsersModule, ctx: PatchContext): UsersModule {
  if (isWrapped(m.invoke)) return m;
  ctx.own(m);
  const { calls } = ctx;
  ctx.wrap(m, 'invoke', (original) => function invoke(this: unknown, client: ClientLike, request: TlRequest, dcId?: number, otherSender?: SenderLike) {
    // Nested or re-entrant invoke of the same request object: let the outer call own it.
    if (request === null || typeof request !== 'object' || request[CALL] !== undefined) {
      return original.call(this, client, request, dcId, otherSender);
    }
    const call = calls().begin(client, request, dcId, otherSender);
    if (!call) return original.call(this, client, request, dcId, otherSender);
    request[CALL] = call;
    let p: Promise<unknown>;
    try {
      p = original.call(this, client, request, dcId, otherSender);
    } catch (err) {
      request[CALL] = undefined;
      calls().end(call, err, true);
      throw err;
    }
    return p.then((result) => {
      request[CALL] = undefined;
      calls().end(call, undefined, false);
      return result;
    }, (err: unknown) => {
      request[CALL] = undefined;
      calls().end(call, err, true);
      throw err;
    });
  });
  return m;
}

/**
 * Patches `errors/index.js` `RPCMessageToError`: the raw error code and message are tagged on
 * the error before GramJS folds them (FLOOD_PREMIUM_WAIT_7 becomes a plain FloodWaitError). @internal
 */
export function patchErrors(m: ErrorsModule, ctx: PatchContext): ErrorsModule {
  if (isWrapped(m.RPCMessageToError)) return m;
  ctx.own(m);
  ctx.wrap(m, 'RPCMessageToError', (original) => function RPCMessageToError(this: unknown, rpcError: { errorCode: number; errorMessage: string }, request: TlRequest) {
    const err = original.call(this, rpcError, request);
    try {
      tagRawRpcError(err, rpcError?.errorCode, rpcError?.errorMessage);
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
    return err;
  });
  return m;
}
