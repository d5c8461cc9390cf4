import { reportInternalError } from '../../src/internal/internal-errors';
import type { WsConnectionTracker } from './connection-tracker';
import { K_STATE } from './connection-state-key';
import { FRAMES, K_SENDER_STATE, wireSender, type WsSenderInternals } from './frame-size';
import type { ConnectionState, WsSocketInternals } from './internal-types';
import { WS_COMPONENT } from './semconv';

/**
 * What the socket patches do outside their hot paths: wiring an opening socket's Sender to count
 * its frames, installing the send() patch where a send has work, and the events other than
 * 'message'. @internal
 */

type State = ConnectionState | undefined;

/** `patch` wraps a ws Sender prototype to count its frames (the enabled instrumentation's wrap, set by enable()). @internal */
export const senderWiring: { patch: ((proto: WsSenderInternals) => void) | undefined } = { patch: undefined };
/**
 * Install the send() patch on a patched WebSocket prototype. It is installed only where a send
 * has work: a Sender that cannot count its frames (before ws 8.5), correlation ids, send spans.
 */
export const sendPatchInstallers = new Set<() => void>();

/** Installs the send() patch on every patched WebSocket prototype (idempotent). @internal */
export function installSendPatches(): void {
  for (const install of sendPatchInstallers) install();
}

/** An open socket: its Sender counts its data frames from now on (frame-size.ts). @internal */
export function wireOpened(t: WsConnectionTracker, ws: WsSocketInternals & Record<symbol, unknown>, st: ConnectionState): void {
  const sender = ws._sender as Record<symbol, unknown> | undefined;
  if (sender?.[K_SENDER_STATE] === st && st.framed === FRAMES.epoch && !t.opts.sendExtras) return;
  const patch = senderWiring.patch;
  if (patch === undefined || !wireSender(sender, st, patch) || t.opts.sendExtras) installSendPatches();
}

/** ws events other than 'message' that the tracker observes (out of the emit patch, which stays small). @internal */
export function observeEvent(t: WsConnectionTracker, ws: WsSocketInternals & Record<symbol, unknown>, event: unknown, a: unknown, b: unknown): void {
  try {
    const st = ws[K_STATE] as State;
    if (st !== undefined) {
      if (event === 'open') wireOpened(t, ws, st);
      else if (event === 'close') t.closed(ws, st, a, b);
      else if (event === 'pong') t.ponged(st);
      else if (event === 'error') t.errored(st, a);
    } else if (event === 'error' && !ws._isServer) {
      t.clientFailed(ws, a);
    }
  } catch (err) {
    reportInternalError(WS_COMPONENT, err);
  }
}
