import { isWrapped } from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../src/internal/internal-errors';
import type { ConnectionState } from './internal-types';
import { WS_COMPONENT } from './semconv';
import { byteLengthOf } from './utils';

/**
 * Outbound messages counted and sized where ws's Sender frames them. The UTF-8 length of a
 * string takes a pass over the whole string (1.6 ms for 1 MB), and ws's Sender already makes
 * that pass: since ws 8.5 `Sender#send` hands every data message to `dispatch(data, compress,
 * options, cb)` (or, for a Blob, to `getBlobData` with the same arguments) with its opcode and
 * its length in `options`, the length under a private Symbol whose description is `kByteLength`.
 * So a message is counted there, once per data frame, by the frame's opcode and with ws's
 * length, and no `send()` patch is needed. Before ws 8.5 the Sender writes most frames without
 * `dispatch`: there the `send()` patch counts and measures each message itself.
 */

/** The connection state a Sender records its data frames into (set on the Sender instance). @internal */
export const K_SENDER_STATE = Symbol.for('pulseguard.ws.senderState');
/** Marks the wrappers, so "is this Sender wired" is one property read. */
const K_COUNTS_FRAMES = Symbol.for('pulseguard.ws.sizesFrames');
/** Set on the options of a Blob message counted in getBlobData, whose frame may pass dispatch later. */
const K_COUNTED = Symbol.for('pulseguard.ws.frameCounted');

/**
 * Senders wired before this epoch were wired to a dispatch since restored (the instrumentation
 * was disabled): `ConnectionState.framed` holds the epoch its Sender was wired in. @internal
 */
export const FRAMES = { epoch: 1 };

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Keyed = Record<symbol, unknown>;

/** The parts of ws's Sender (lib/sender.js) this file touches. @internal */
export interface WsSenderInternals {
  dispatch?: unknown;
  getBlobData?: unknown;
  send?: unknown;
}

/** ws Sender prototypes wrapped here, those ever wrapped (re-wrapped on enable), and those that cannot be (before ws 8.5, or wrapped by someone else). */
const patchedSenders = new Set<WsSenderInternals>();
const knownSenders = new Set<WsSenderInternals>();
const unsizableSenders = new WeakSet<object>();

/** True when this Sender copy passes every data message on to dispatch() with its byte length (ws 8.5+). */
function sendsToDispatch(proto: WsSenderInternals): boolean {
  return typeof proto.dispatch === 'function' && typeof proto.send === 'function'
    && Function.prototype.toString.call(proto.send).includes('kByteLength');
}

/** True when `sender`'s dispatch is the counting wrapper (its prototype is patched). */
function countsFrames(sender: WsSenderInternals): boolean {
  const dispatch = sender.dispatch as (Fn & Keyed) | undefined;
  return typeof dispatch === 'function' && dispatch[K_COUNTS_FRAMES] === true;
}

/** Data frame opcodes: continuation 0, text 1, binary 2 (8-10 are close, ping, pong). */
const LAST_DATA_OPCODE = 2;

/**
 * The wrapper of `Sender.prototype.dispatch` (and of `getBlobData`, `blob`): a data frame is
 * counted as an outbound message of the connection its Sender belongs to (`websocket.messages`
 * by type, `websocket.message.size` with the length ws computed). Everything else passes
 * through untouched.
 * @internal
 */
export function countingDispatch(original: Fn, blob = false): Fn {
  // ws's kByteLength Symbol is private to each copy of ws (and this wrapper to one Sender
  // prototype): found on the first frame. Until then a Symbol no object has.
  let lengthKey: symbol = Symbol('kByteLength not found yet');
  let lengthKeySought = false;
  // Frames the fast path below leaves: a continuation frame (the type of its message's first
  // frame), a Blob message counted before its frame passes dispatch, a length not found.
  const recordOther = (st: ConnectionState, data: unknown, opts: Keyed & { opcode?: unknown }): void => {
    const opcode = opts.opcode;
    if (typeof opcode !== 'number' || opcode > LAST_DATA_OPCODE || opts[K_COUNTED] === true) return;
    if (!lengthKeySought) {
      lengthKeySought = true;
      const found = Object.getOwnPropertySymbols(opts).find((k) => k.description === 'kByteLength');
      if (found !== undefined) lengthKey = found;
    }
    const n = opts[lengthKey];
    const binary = opcode === 0 ? st.outBinary : opcode === 2;
    st.outBinary = binary;
    const h = st.h;
    (binary ? h.outBinary : h.outText).add(1);
    h.outSize.record(typeof n === 'number' ? n : byteLengthOf(data));
  };
  // Out of the wrapper and small: V8 inlines the wrapper into ws's Sender#send, and what it
  // inlines of ours there is taken from the budget that keeps ws's own helpers inline.
  const record = (st: ConnectionState, data: unknown, options: unknown): void => {
    try {
      const opts = options as Keyed & { opcode?: unknown };
      const opcode = opts.opcode;
      const n = opts[lengthKey];
      if ((opcode === 1 || opcode === 2) && typeof n === 'number' && opts[K_COUNTED] !== true) {
        const h = st.h;
        st.outBinary = opcode === 2;
        (opcode === 2 ? h.outBinary : h.outText).add(1);
        h.outSize.record(n);
      } else {
        recordOther(st, data, opts);
      }
    } catch (err) {
      reportInternalError(WS_COMPONENT, err);
    }
  };
  const wrapped = blob
    ? function getBlobData(this: Keyed, data: unknown, compress: unknown, options: unknown, cb: unknown) {
      const st = this[K_SENDER_STATE] as ConnectionState | undefined;
      if (st !== undefined) {
        record(st, data, options);
        // With permessage-deflate ws hands the Blob's bytes to dispatch afterwards: counted once.
        if (typeof options === 'object' && options !== null) (options as Keyed)[K_COUNTED] = true;
      }
      return original.call(this, data, compress, options, cb);
    }
    : function dispatch(this: Keyed, data: unknown, compress: unknown, options: unknown, cb: unknown) {
      const st = this[K_SENDER_STATE] as ConnectionState | undefined;
      if (st !== undefined) record(st, data, options);
      // The four parameters ws's Sender passes (8.5 to 8.x): no arguments object per frame.
      return original.call(this, data, compress, options, cb);
    };
  (wrapped as unknown as Keyed)[K_COUNTS_FRAMES] = true;
  return wrapped as Fn;
}

/**
 * Makes a socket's Sender (`ws._sender`) count its data frames into `st`, patching the Sender
 * prototype of this copy of ws on first use through `patch` (the instrumentation's wrap of
 * dispatch and getBlobData). False when this ws cannot (before 8.5): the send patch then counts
 * and measures itself. Called when the socket opens (and by the send patch, where installed, for
 * a socket not wired in the current epoch).
 * @internal
 */
export function wireSender(sender: unknown, st: ConnectionState, patch: (proto: WsSenderInternals) => void): boolean {
  if (typeof sender !== 'object' || sender === null) return false;
  const s = sender as WsSenderInternals & Keyed;
  if (!countsFrames(s)) {
    const proto = Object.getPrototypeOf(s) as WsSenderInternals;
    if (unsizableSenders.has(proto)) return false;
    // Already wrapped by someone else, or a ws that writes frames without dispatch: leave it alone.
    if (isWrapped(proto.dispatch) || (proto.getBlobData !== undefined && isWrapped(proto.getBlobData)) || !sendsToDispatch(proto)) {
      unsizableSenders.add(proto);
      return false;
    }
    patch(proto);
    patchedSenders.add(proto);
    knownSenders.add(proto);
  }
  s[K_SENDER_STATE] = st;
  st.framed = FRAMES.epoch;
  return true;
}

/**
 * Wraps again the Sender prototypes wrapped before a disable (the instrumentation is enabled):
 * Senders wired then keep their connection state and count their frames again. @internal
 */
export function rewireSenders(patch: (proto: WsSenderInternals) => void): void {
  for (const proto of knownSenders) {
    if (patchedSenders.has(proto) || isWrapped(proto.dispatch)) continue;
    patch(proto);
    patchedSenders.add(proto);
  }
}

/** Removes every Sender patch (the instrumentation is disabled) through `unpatch`. @internal */
export function unwireSenders(unpatch: (proto: WsSenderInternals) => void): void {
  for (const proto of patchedSenders) unpatch(proto);
  patchedSenders.clear();
  // Sockets wired so far no longer count at their Sender: their next send wires them again.
  FRAMES.epoch++;
}
