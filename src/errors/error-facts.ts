import { redactString } from '../logging/redaction';

/**
 * Reads what the tracker needs from any thrown value without ever throwing: a value may be null,
 * a string, a Proxy, or an object whose getters throw. Each field is read once, inside a guard.
 * Message and stack are redacted here, at the source, before they are shortened: every sink
 * (samples, spans, crash lines, alerts) reads them from these facts.
 *
 * @internal
 */

/** The fields of a thrown value the tracker looks at. */
export interface ErrorFacts {
  /** Constructor name / `name`, or `typeof` for primitives. */
  type: string;
  /** The message, redacted, then cut to 1,000 characters. */
  message: string;
  /** The stack, redacted, then cut to 8,000 characters. */
  stack: string | undefined;
  /** `code` as a string (Node error codes, pg SQLSTATE, GramJS numeric codes). */
  code: string | undefined;
  /** HTTP status from `status`, `statusCode`, `response.status`, or a numeric GramJS `code`. */
  status: number | undefined;
  /** GramJS `errorMessage` (the raw RPC error, e.g. FLOOD_WAIT_30 or AUTH_KEY_UNREGISTERED). */
  errorMessage: string | undefined;
  /** True when the value looks like a pg DatabaseError (has `severity` or is named DatabaseError). */
  pgShape: boolean;
  /** The `cause`, if any (classification looks through it). */
  cause: unknown;
}

// Long messages are cut so one huge message cannot cost much CPU downstream (normalising,
// fingerprints). Redaction runs first, on at most REDACT_WINDOW characters: a secret cut at that
// edge lies far past MAX_MESSAGE/MAX_STACK and is dropped with the rest.
const MAX_MESSAGE = 1000;
const MAX_STACK = 8000;
const REDACT_WINDOW = 64 * 1024;

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function str(v: unknown, max: number): string | undefined {
  return typeof v === 'string' ? (v.length > max ? v.slice(0, max) : v) : undefined;
}

/** Redacts, then shortens: a secret cut in half would no longer match its pattern. */
function redacted(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const clean = redactString(v.length > REDACT_WINDOW ? v.slice(0, REDACT_WINDOW) : v);
  return clean.length > max ? clean.slice(0, max) : clean;
}

// Generic `name`s that say less than the constructor (pg's DatabaseError is named "error").
const GENERIC_NAMES: ReadonlySet<string> = new Set(['Error', 'error']);

function typeOf(value: object): string {
  const name = str(read(value, 'name'), 100);
  if (name && !GENERIC_NAMES.has(name)) return name;
  try {
    const ctor = Object.getPrototypeOf(value)?.constructor as { name?: unknown } | undefined;
    if (ctor && typeof ctor.name === 'string' && ctor.name && ctor.name !== 'Object') return ctor.name.slice(0, 100);
  } catch {
    // A Proxy with a throwing getPrototypeOf trap: fall through.
  }
  return name || 'Object';
}

function statusOf(value: object, code: unknown): number | undefined {
  for (const v of [read(value, 'status'), read(value, 'statusCode')]) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
  }
  const response = read(value, 'response');
  if (response !== null && typeof response === 'object') {
    const s = read(response, 'status');
    if (typeof s === 'number' && Number.isInteger(s)) return s;
  }
  // GramJS RPC errors carry HTTP-like numeric codes (400, 401, 420, -503...).
  if (typeof code === 'number' && Number.isInteger(code)) return Math.abs(code);
  return undefined;
}

/** Reads the facts of any thrown value; never throws. */
export function errorFacts(value: unknown): ErrorFacts {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    const message = redacted(typeof value === 'string' ? value : value === undefined ? '' : safeString(value), MAX_MESSAGE) ?? '';
    return { type: value === null ? 'null' : typeof value, message, stack: undefined, code: undefined, status: undefined,
      errorMessage: undefined, pgShape: false, cause: undefined };
  }
  const obj = value as object;
  const rawCode = read(obj, 'code');
  const code = typeof rawCode === 'string' ? rawCode.slice(0, 100) : typeof rawCode === 'number' ? String(rawCode) : undefined;
  const type = typeOf(obj);
  return {
    type,
    message: redacted(read(obj, 'message'), MAX_MESSAGE) ?? '',
    stack: redacted(read(obj, 'stack'), MAX_STACK),
    code,
    status: statusOf(obj, rawCode),
    errorMessage: str(read(obj, 'errorMessage'), 200),
    pgShape: type === 'DatabaseError' || typeof read(obj, 'severity') === 'string',
    cause: read(obj, 'cause'),
  };
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return '';
  }
}
