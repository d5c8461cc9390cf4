import {
  ERROR_KIND_VALUE_FLOOD, ERROR_KIND_VALUE_LIMITED, ERROR_KIND_VALUE_MIGRATE, ERROR_KIND_VALUE_NETWORK, ERROR_KIND_VALUE_REQUEST,
  ERROR_KIND_VALUE_SERVER, ERROR_KIND_VALUE_SESSION, FLOOD_KIND_VALUE_FLOOD_PREMIUM_WAIT, FLOOD_KIND_VALUE_FLOOD_WAIT,
  FLOOD_KIND_VALUE_SLOWMODE_WAIT, LIMITED_ERROR_CODES, SESSION_ERROR_CODES, type TelegramErrorKind,
} from './semconv';

/** What pulseguard makes of an error GramJS raised. */
export interface ErrorClass {
  /** Closed-ish family: the raw message without its trailing number (FLOOD_WAIT_3 -> FLOOD_WAIT). */
  family: string;
  /** The raw RPC message as Telegram sent it (FLOOD_PREMIUM_WAIT_7), or the family for non-RPC errors. */
  raw: string;
  /** RPC error code (420, 303, 401...), 0 when the error is not an RPC error. */
  code: number;
  /** Set for flood waits: the kind and the seconds demanded. */
  flood?: { kind: string; seconds: number };
  /** Set for *_MIGRATE_N: the DC to go to. */
  migrateTo?: number;
  /** True for errors that mean the authorization itself is in trouble. */
  session: boolean;
  /**
   * What the error says, for decisions (docs/telegram.md "Decision rules"): `session` and
   * `network`/`server` errors speak about the session or the connection; `request` errors
   * (MESSAGE_TOO_LONG, PEER_ID_INVALID) about the caller's request; `flood` and `limited`
   * (PEER_FLOOD, FROZEN_*) about the account's limits; `migrate` is routine.
   */
  kind: TelegramErrorKind;
}

/** Where {@link tagRawRpcError} keeps the raw code on the error GramJS built. @internal */
export const RAW_RPC = Symbol.for('pulseguard.telegram.rawRpcError');

interface RawTag {
  code: number;
  message: string;
}

type Tagged = { [RAW_RPC]?: RawTag };

/**
 * Called from the patched RPCMessageToError, the one place the raw message survives
 * (GramJS turns FLOOD_PREMIUM_WAIT_7 into a FloodWaitError whose message says only "FLOOD").
 * @internal
 */
export function tagRawRpcError(err: unknown, code: number, message: string): void {
  if (err !== null && typeof err === 'object') (err as Tagged)[RAW_RPC] = { code, message };
}

const TRAILING_NUMBER = /_(\d+)$/;
const FAMILY_SHAPE = /^[A-Z][A-Z0-9_]{1,63}$/;
const FLOOD_KINDS = new Map<string, string>([
  ['FLOOD_WAIT', FLOOD_KIND_VALUE_FLOOD_WAIT],
  ['FLOOD_PREMIUM_WAIT', FLOOD_KIND_VALUE_FLOOD_PREMIUM_WAIT],
  ['SLOWMODE_WAIT', FLOOD_KIND_VALUE_SLOWMODE_WAIT],
  ['FLOOD_TEST_PHONE_WAIT', FLOOD_KIND_VALUE_FLOOD_WAIT],
]);

// Errors GramJS raises without an RPC code when the transport is down or a request timed out
// (MTProtoSender: "Cannot send requests while disconnected", the TIMEOUT of the keep-alive loop,
// requests cancelled by a disconnect, transport-level InvalidBufferError).
const NETWORK_MESSAGE = /^TIMEOUT$|disconnect|not connected|connection|socket|ECONN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH/i;
const NETWORK_NAMES = new Set(['INVALIDBUFFERERROR', 'TIMEOUT', 'DEADLINEERROR']);

/** The decision class of an RPC error from its code and family. */
function rpcKind(family: string, code: number): TelegramErrorKind {
  if (SESSION_ERROR_CODES.has(family)) return ERROR_KIND_VALUE_SESSION;
  if (LIMITED_ERROR_CODES.has(family) || family.startsWith('FROZEN_')) return ERROR_KIND_VALUE_LIMITED;
  if (FLOOD_KINDS.has(family)) return ERROR_KIND_VALUE_FLOOD;
  if (family.endsWith('_MIGRATE')) return ERROR_KIND_VALUE_MIGRATE;
  // 5xx and Telegram's negative internal codes (-500 "No workers running", -503 "Timeout").
  if (code >= 500 || code < 0 || family === 'RPC_CALL_FAIL' || family === 'RPC_MCGET_FAIL' || family.endsWith('_TIMEOUT')) {
    return ERROR_KIND_VALUE_SERVER;
  }
  return ERROR_KIND_VALUE_REQUEST;
}

function errorName(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? err.name : 'Error';
  return typeof err;
}

/**
 * Classifies an error by code and raw message. Works for errors built by the patched
 * RPCMessageToError (raw message kept) and, as a fallback, for GramJS's RPCError shape
 * (`errorMessage`, `code`, `seconds`). Anything else becomes its constructor name, or TIMEOUT
 * for GramJS's keep-alive timeout, so `family` is always a short upper-case code.
 */
export function classifyError(err: unknown): ErrorClass {
  const e = (err ?? {}) as Tagged & { errorMessage?: unknown; code?: unknown; seconds?: unknown; message?: unknown };
  const tag = e[RAW_RPC];
  let raw: string | undefined = tag?.message;
  let code = tag?.code ?? 0;
  if (raw === undefined && typeof e.errorMessage === 'string' && FAMILY_SHAPE.test(e.errorMessage)) {
    raw = e.errorMessage;
    code = typeof e.code === 'number' ? e.code : 0;
  }
  if (raw === undefined || !FAMILY_SHAPE.test(raw)) {
    const msg = typeof e.message === 'string' ? e.message : '';
    const family = msg === 'TIMEOUT' ? 'TIMEOUT' : errorName(err).replace(/[^A-Za-z0-9_]/g, '').slice(0, 64).toUpperCase() || 'ERROR';
    const network = NETWORK_NAMES.has(family) || NETWORK_MESSAGE.test(msg);
    return { family, raw: family, code: 0, session: false, kind: network ? ERROR_KIND_VALUE_NETWORK : ERROR_KIND_VALUE_REQUEST };
  }
  const m = TRAILING_NUMBER.exec(raw);
  const family = m ? raw.slice(0, m.index) : raw;
  const session = SESSION_ERROR_CODES.has(family) || SESSION_ERROR_CODES.has(raw);
  const out: ErrorClass = { family, raw, code, session, kind: session ? ERROR_KIND_VALUE_SESSION : rpcKind(family, code) };
  const kind = FLOOD_KINDS.get(family);
  if (kind !== undefined) {
    out.flood = { kind, seconds: m ? Number(m[1]) : typeof e.seconds === 'number' ? e.seconds : 0 };
  }
  if (m && family.endsWith('_MIGRATE')) out.migrateTo = Number(m[1]);
  return out;
}
