// Imported, not the globals: Node defines global Buffer and Blob as accessors, which optimized
// code cannot fold, so each use on the per-message path cost a getter call (~200 instructions).
import { Blob, Buffer } from 'node:buffer';
import { backoffDelay as sharedBackoffDelay } from '../../src/internal/backoff';
import { ERROR_TYPE_VALUE_OTHER, REASON_VALUE_CONNECT_FAILED, REASON_VALUE_HANDSHAKE_FAILED, REASON_VALUE_HTTP_429, REASON_VALUE_HTTP_503, WS_ERROR_TYPES } from './semconv';

const KNOWN_ERROR_TYPES: ReadonlySet<string> = new Set(WS_ERROR_TYPES);

/**
 * Payload size in bytes of a message as ws delivers it (Buffer, ArrayBuffer, Buffer[] for
 * binaryType "fragments", Blob for binaryType "blob") or as an app passes it to send(). Constant
 * time for everything but strings, whose UTF-8 length takes a scan: string sends are sized from
 * ws's frame instead where ws allows it (frame-size.ts). @internal
 */
export function byteLengthOf(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  // A Buffer is a Uint8Array: ArrayBuffer.isView (a builtin) covers it without Buffer.isBuffer's instanceof.
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof ArrayBuffer) return data.byteLength;
  // ws 8.18+ sends Blobs (read asynchronously); their size is known without reading them.
  if (data instanceof Blob) return data.size;
  if (Array.isArray(data)) {
    let n = 0;
    for (const part of data) n += byteLengthOf(part);
    return n;
  }
  if (typeof data === 'number') return String(data).length;
  return 0;
}

/** Maps an error to the closed `error.type` set (ws's WS_ERR_* codes, socket codes, else `_OTHER`). @internal */
export function errorTypeOf(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && KNOWN_ERROR_TYPES.has(code) ? code : ERROR_TYPE_VALUE_OTHER;
}

/** Why a client connection failed before opening, from ws's error. @internal */
export function clientRejectReason(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const m = /Unexpected server response: (\d{3})/.exec(message);
  if (m) {
    if (m[1] === '429') return REASON_VALUE_HTTP_429;
    if (m[1] === '503') return REASON_VALUE_HTTP_503;
    return REASON_VALUE_HANDSHAKE_FAILED;
  }
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('E')) return REASON_VALUE_CONNECT_FAILED;
  return REASON_VALUE_HANDSHAKE_FAILED;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): `base * 2^attempt`, capped at `max`,
 * then spread by ±`jitter`/2 of itself so a fleet does not reconnect in lockstep. @internal
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, jitter: number, random: () => number = Math.random): number {
  // The shared formula spreads by ±jitter (1-based attempts); this one by ±jitter/2, capped after the spread.
  return Math.min(maxMs, sharedBackoffDelay(attempt + 1, { initialMs: baseMs, maxMs, jitter: jitter / 2 }, random));
}

/** Close reasons are at most 123 bytes on the wire; keep spans bounded the same way. @internal */
export function truncateReason(reason: unknown): string {
  const s = Buffer.isBuffer(reason) ? reason.toString('utf8') : typeof reason === 'string' ? reason : '';
  return s.length > 123 ? s.slice(0, 123) : s;
}

/** An HTTP response that refuses an upgrade, in the shape ws's own abortHandshake writes. @internal */
export function refusalResponse(status: number, retryAfterSeconds: number | undefined): string {
  const text = status === 429 ? 'Too Many Requests' : 'Service Unavailable';
  const retry = retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`;
  return `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${retry}\r\n${text}`;
}
