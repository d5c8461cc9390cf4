/**
 * Secret scrubbing shared by the logger, spans, error samples and alerts. Two layers:
 * keys that name a secret are censored at any depth, and string values that look like one
 * (a StringSession or another long random token, a bot token, a bearer token or JWT, a phone
 * number, an e-mail address, credentials in a URL, or any value registered with
 * {@link registerSecret}) are censored wherever they appear.
 *
 * Redact before truncating: a cut secret no longer matches its pattern, so callers that shorten
 * text (error facts, crash lines) redact the whole text first.
 */

export const CENSOR = '[REDACTED]';

// Keys whose value is always a secret, whatever its shape. Compared lower-cased, without - and _.
const SECRET_KEYS = new Set([
  'password', 'passwd', 'pass', 'secret', 'token', 'accesstoken', 'refreshtoken', 'apitoken', 'bottoken',
  'apihash', 'apikey', 'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'session', 'sessionstring',
  'stringsession', 'authkey', 'phone', 'phonenumber', 'phonecode', 'webhookurl', 'dsn', 'privatekey', 'clientsecret',
]);

const VALUE_PATTERNS: RegExp[] = [
  // GramJS StringSession: "1" + base64 of dc id, address, port and a 256-byte auth key.
  /\b1[A-Za-z0-9+/_-]{300,}={0,2}/g,
  // Telegram bot token.
  /\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g,
  // Bearer / Basic credentials.
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // Credentials inside a URL.
  /(?<=:\/\/)[^/\s:@]+:[^/\s@]+(?=@)/g,
  // Secret-looking query parameters.
  /(?<=[?&](?:token|key|secret|password|api_hash|apiHash|sig|signature)=)[^&\s#]+/gi,
  // Slack webhook path.
  /(?<=hooks\.slack\.com\/services\/)[A-Za-z0-9/]+/g,
  // Phone numbers in international form (+ and 10-15 digits, optional separators).
  /\+\d[\d\s().-]{8,18}\d/g,
  // Phone numbers in national form without the +: (415) 555-2671, 415-555-2671, 415.555.2671.
  /\(\d{3}\)\s?\d{3}[-.\s]\d{4}\b/g,
  /\b\d{3}[-.]\d{3}[-.]\d{4}\b/g,
  // JSON Web Tokens, with or without "Bearer" (the header is base64url JSON, so it starts eyJ).
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // E-mail addresses.
  /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
];

// Long runs of the base64 alphabet: session strings under 300 characters, API keys, auth blobs.
const BLOB = /[A-Za-z0-9+/_=-]{40,}/g;

/**
 * A base64 run is a secret when it looks random: upper case, lower case and digits mixed, and few
 * `/` (a file path has one every few characters; random base64 one in 64). Hex ids and trace ids
 * (lower case only) and SCREAMING_CASE codes stay readable.
 */
function looksRandom(run: string): boolean {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let slash = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
    else if (c === 47) slash++;
  }
  return upper >= 2 && lower >= 2 && digit >= 2 && slash * 16 <= run.length;
}

function censorBlob(run: string): string {
  return looksRandom(run) ? CENSOR : run;
}

const registered = new Set<string>();

/** Censor this exact value wherever it appears from now on (api hashes, session strings, tokens). */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 6) registered.add(value);
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** True when a key names a secret (`apiHash`, `api_hash`, `Authorization`, ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normaliseKey(key));
}

// What a string needs for any of VALUE_PATTERNS or BLOB to match in it: 37 characters (session
// strings, bot tokens, blobs) or one of these (whitespace: Bearer/Basic; @: e-mail, URL
// credentials; ? &: query parameters; +: international phone; ( or ddd-ddd: national phone;
// eyJ: JWT; hooks.slack: webhook path; ':' for URLs). Most field values (names, ids, words) have
// none, and skip the twelve scans.
const MAY_HOLD_PATTERN = /[@?&+(\s:]|eyJ|hooks\.slack|\d{3}[-.]\d{3}/;

/** False when no value pattern can match in `value`. @internal */
export function mayHoldPattern(value: string): boolean {
  return value.length >= 37 || MAY_HOLD_PATTERN.test(value);
}

/** Censors secret-looking substrings of a string. Cheap when there is nothing to censor. */
export function redactString(value: string): string {
  let out = value;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(CENSOR);
  }
  return mayHoldPattern(out) ? censorPatterns(out) : out;
}

/** Censors what VALUE_PATTERNS and BLOB match in `value`. @internal */
export function censorPatterns(value: string): string {
  let out = value;
  for (const re of VALUE_PATTERNS) {
    re.lastIndex = 0;
    if (re.test(out)) {
      re.lastIndex = 0;
      out = out.replace(re, CENSOR);
    }
  }
  BLOB.lastIndex = 0;
  if (BLOB.test(out)) {
    BLOB.lastIndex = 0;
    out = out.replace(BLOB, censorBlob);
  }
  return out;
}

/**
 * Returns a copy of `value` with secret keys and secret-looking strings censored. Handles cycles
 * and Errors (message and stack are scrubbed); depth is capped so a huge object cannot stall a log call.
 */
export function redactDeep(value: unknown, extraKeys?: ReadonlySet<string>, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[depth limit]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, extraKeys, depth + 1, seen));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = errorTypeName(value);
    out.message = redactString(value.message);
    if (value.stack) out.stack = redactString(value.stack);
    // `cause` is own but not enumerable when set through the Error constructor.
    if (value.cause !== undefined) out.cause = redactDeep(value.cause, extraKeys, depth + 1, seen);
  }
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) || extraKeys?.has(normaliseKey(k)) ? CENSOR : redactDeep(v, extraKeys, depth + 1, seen);
  }
  return out;
}

/** Normalises configured extra keys the same way built-in keys are compared. */
export function secretKeySet(keys: readonly string[]): ReadonlySet<string> {
  return new Set(keys.map((k) => normaliseKey(k.split('.').pop() ?? k)));
}

/** The constructor's name (what pino's err serializer reports), or `name` when that says more. */
export function errorTypeName(err: Error): string {
  const ctor = (Object.getPrototypeOf(err) as { constructor?: { name?: unknown } } | null)?.constructor;
  return typeof ctor?.name === 'string' && ctor.name && ctor.name !== 'Error' ? ctor.name : err.name;
}
