import { createHash } from 'node:crypto';
import type { ErrorFacts } from './error-facts';

/**
 * Fingerprints group occurrences of "the same error": type + normalised message + top in-app
 * frame. Variable parts of messages (ids, numbers, durations, quoted values) are replaced by
 * placeholders so `timeout after 1234ms` and `timeout after 99ms` land in one group.
 */

const PREFIXED_ID = /^[a-z]{2,12}_(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]{10,}$/;

/** `<id>` for a token that looks generated (a prefixed id or a nanoid), else the token unchanged. */
function randomIdToken(token: string): string {
  if (PREFIXED_ID.test(token)) return '<id>';
  return /[A-Z]/.test(token) && /[a-z]/.test(token) && /\d/.test(token) ? '<id>' : token;
}

// Order matters: the specific shapes go before the generic number rule that would eat them.
// Module-level so the regexes compile once.
const NORMALISERS: ReadonlyArray<readonly [RegExp, string | ((token: string) => string)]> = [
  // ISO-8601 / RFC 3339 timestamps (date, optional time, fraction and offset) before any number
  // rule takes them apart: otherwise every millisecond is a new group.
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?(?![\w:])/g, '<timestamp>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // A quote preceded by a letter is an apostrophe (can't, won't), not the start of a value.
  [/(?<!\w)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)/g, '<str>'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Bare hex ids (object ids, hashes, trace ids): 8+ hex chars with at least one digit and one letter.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b/gi, '<duration>'],
  // Numeric suffixes of raw codes (FLOOD_WAIT_30, SLOWMODE_WAIT_7): one group per code family.
  [/(?<=[A-Za-z]_)\d+\b/g, '<n>'],
  // Prefixed ids (Stripe's cus_NffrFeUfNV2Hib, ch_3MmlLr...) and nanoids/random tokens
  // (V1StGXR8_Z5jdHi6B-myT): 10+ id characters mixing upper case, lower case and digits, or a
  // lower-case prefix and `_` before 10+ mixed-case characters. Words and camelCase names have no
  // digits and no such prefix, so they stay.
  [/(?<![\w-])[A-Za-z0-9_-]{10,}(?![\w-])/g, randomIdToken],
  // Ids that mix letters and digits (user123, inc_42abc, msg-9): the digits make them variable.
  [/\b[a-z]+[_-]?\d+[\w-]*\b/gi, '<id>'],
  [/[-+]?\b\d+(?:\.\d+)?\b/g, '<n>'],
];

/** Replaces the variable parts of an error message with placeholders. */
export function normaliseMessage(message: string): string {
  let out = message;
  // The two-argument overloads of replace() do not accept a union: pick the overload per entry.
  for (const [re, placeholder] of NORMALISERS) out = typeof placeholder === 'string' ? out.replace(re, placeholder) : out.replace(re, placeholder);
  return out.replace(/\s+/g, ' ').trim();
}

const FRAME = /^\s*at (?:(.+?) \()?(.+?)(?::\d+)?(?::\d+)?\)?$/;

/**
 * The first stack frame that is the application's own: not in node_modules, not a Node internal
 * (`node:...`, `internal/...`). Returned as `function (file)` without line and column, so a
 * deploy that shifts lines keeps the same groups. Paths are made relative to the cwd.
 */
export function topInAppFrame(stack: string | undefined, cwd = process.cwd()): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n')) {
    if (!line.trimStart().startsWith('at ')) continue;
    const m = FRAME.exec(line);
    if (!m) continue;
    const fn = m[1];
    let file = m[2];
    if (file.startsWith('node:') || file.startsWith('internal/') || file.includes('node_modules') || file === 'native' || file === '<anonymous>') continue;
    if (file.startsWith('file://')) file = file.slice(7);
    if (file.startsWith(cwd + '/')) file = file.slice(cwd.length + 1);
    return fn ? `${fn} (${file})` : file;
  }
  return undefined;
}

/** The parts a computed fingerprint is made of. */
export interface FingerprintParts {
  type: string;
  message: string;
  frame: string | undefined;
}

/** Normalised type, message and frame of an error. */
export function fingerprintParts(facts: ErrorFacts): FingerprintParts {
  return { type: facts.type, message: normaliseMessage(facts.message), frame: topInAppFrame(facts.stack) };
}

/** A short stable hash of the parts (16 hex chars of SHA-1: a key, not a security boundary). */
export function computeFingerprint(parts: FingerprintParts): string {
  return createHash('sha1').update(`${parts.type}\u0000${parts.message}\u0000${parts.frame ?? ''}`).digest('hex').slice(0, 16);
}

/** Explicit fingerprints are the caller's; only their length is bounded. */
export function explicitFingerprint(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined;
}
