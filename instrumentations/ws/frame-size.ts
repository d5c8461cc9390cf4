import { isWrapped } from '@opentelemetry/instrumentation';
import { reportInternalError } from '../../src/internal/internal-errors';
import type { ConnectionState } from './internal-types';
import { WS_COMPONENT } from './semconv';

/**
 * Sizing string sends without scanning them. The UTF-8 length of a string takes a pass over the
 * whole string (1.6 ms for 1 MB), and ws's Sender already makes that pass: since ws 8.5 it hands
 * the string to `dispatch(data, compress, options, cb)` with the length in `options`, under a
 * private Symbol whose description is `kByteLength`. So the size of a string send is recorded
 * there, once per data frame, instead of in the `send()` patch. Before ws 8.5 the Sender copies
 * every string into a Buffer itself, and the `send()` patch keeps measuring strings.
 */

/** The connection state a Sender records its string frames into (set on the Sender instance). @internal */
export const K_SENDER_STATE = Symbol.for('pulseguard.ws.senderState');
/** Marks the `dispatch` wrapper, so "is this Sender sized" is one property read per send. */
const K_SIZES_FRAMES = Symbol.for('pulseguard.ws.sizesFrames');

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Keyed = Record<symbol, unknown>;

/** The parts of ws's Sender (lib/sender.js) this file touches. @internal */
export interface WsSenderInternals {
  dispatch?: unknown;
  send?: unknown;
}

/** ws Sender prototypes whose dispatch sizes string frames, and those that cannot (before ws 8.5). */
const patchedSenders = new Set<WsSenderInternals>();
const unsizableSenders = new WeakSet<object>();

/** True when this Sender copy passes strings on to dispatch() with their byte length (ws 8.5+). */
function sendsStringsToDispatch(proto: WsSenderInternals): boolean {
  return typeof proto.dispatch === 'function' && typeof proto.send === 'function'
    && Function.prototype.toString.call(proto.send).includes('kByteLength');
}

/** True when `sender`'s dispatch is the sizing wrapper (its prototype is patched). */
function sizesFrames(sender: WsSenderInternals): boolean {
  const dispatch = sender.dispatch as (Fn & Keyed) | undefined;
  return typeof dispatch === 'function' && dispatch[K_SIZES_FRAMES] === true;
}

/** Data frame opcodes: continuation 0, text 1, binary 2 (8-10 are close, ping, pong). */
const LAST_DATA_OPCODE = 2;

/**
 * The wrapper of `Sender.prototype.dispatch`: a string data frame is recorded in the outbound
 * size histogram of the connection its Sender belongs to, with the length ws computed.
 * Everything else passes through untouched.
 * @internal
 */
export function sizingDispatch(original: Fn): Fn {
  // The Symbol is private to each copy of ws (and this wrapper to one Sender prototype): found once.
  let lengthKey: symbol | null | undefined;
  // Out of the wrapper, so the wrapper stays small: V8 inlines it into ws's Sender#send within
  // its inlining budget, and Sender#send keeps its own helpers (isBlob, Buffer.byteLength) inline.
  const record = (st: ConnectionState, data: string, options: unknown): void => {
    try {
      if (typeof options !== 'object' || options === null) return;
      const opts = options as Keyed & { opcode?: unknown };
      if (typeof opts.opcode !== 'number' || opts.opcode > LAST_DATA_OPCODE) return;
      if (lengthKey === undefined) lengthKey = Object.getOwnPropertySymbols(opts).find((s) => s.description === 'kByteLength') ?? null;
      const n = lengthKey === null ? undefined : opts[lengthKey];
      st.h.outSize.record(typeof n === 'number' ? n : Buffer.byteLength(data));
    } catch (err) {
      reportInternalError(WS_COMPONENT, err);
    }
  };
  const wrapped = function dispatch(this: Keyed, data: unknown, compress: unknown, options: unknown, cb: unknown) {
    if (typeof data === 'string') {
      const st = this[K_SENDER_STATE] as ConnectionState | undefined;
      if (st !== undefined) record(st, data, options);
    }
    // The four parameters ws's Sender passes (8.5 to 8.x): no arguments object per frame.
    return original.call(this, data, compress, options, cb);
  };
  (wrapped as unknown as Keyed)[K_SIZES_FRAMES] = true;
  return wrapped as Fn;
}

/**
 * Makes a socket's Sender (`ws._sender`) record the size of its string frames into `st`,
 * patching the Sender prototype of this copy of ws on first use through `patchDispatch` (the
 * instrumentation's wrap). False when this ws cannot (before 8.5): the send patch then measures
 * the string itself. Called on every string send, so the wired case is two property reads.
 * @internal
 */
export function wireSender(sender: unknown, st: ConnectionState, patchDispatch: (proto: WsSenderInternals) => void): boolean {
  if (typeof sender !== 'object' || sender === null) return false;
  const s = sender as WsSenderInternals & Keyed;
  if (s[K_SENDER_STATE] === st && sizesFrames(s)) return true;
  if (!sizesFrames(s)) {
    const proto = Object.getPrototypeOf(s) as WsSenderInternals;
    if (unsizableSenders.has(proto)) return false;
    // Already wrapped by someone else, or a ws that copies strings itself: leave it alone.
    if (isWrapped(proto.dispatch) || !sendsStringsToDispatch(proto)) {
      unsizableSenders.add(proto);
      return false;
    }
    patchDispatch(proto);
    patchedSenders.add(proto);
  }
  s[K_SENDER_STATE] = st;
  return true;
}

/** Removes every Sender patch (the instrumentation is disabled) through `unpatchDispatch`. @internal */
export function unwireSenders(unpatchDispatch: (proto: WsSenderInternals) => void): void {
  for (const proto of patchedSenders) unpatchDispatch(proto);
  patchedSenders.clear();
}
