import type { ClassificationRule, ClassificationRuleInput, ErrorClass } from './types';

export type { ClassificationRule, ClassificationRuleInput };
import { errorFacts, type ErrorFacts } from './error-facts';
import {
  ERROR_CLASS_VALUE_AUTH,
  ERROR_CLASS_VALUE_DATABASE,
  ERROR_CLASS_VALUE_NETWORK,
  ERROR_CLASS_VALUE_RATE_LIMIT,
  ERROR_CLASS_VALUE_TELEGRAM_FLOOD,
  ERROR_CLASS_VALUE_TIMEOUT,
  ERROR_CLASS_VALUE_UNKNOWN,
  ERROR_CLASS_VALUE_VALIDATION,
} from './semconv';


const set = <T>(...v: T[]): ReadonlySet<T> => new Set(v);


/** Turns app-supplied rows into table rows (once, at set-up: lookups are Sets). */
export function compileClassificationRules(inputs: readonly ClassificationRuleInput[]): ClassificationRule[] {
  return inputs.map((r) => {
    const rule: ClassificationRule = { class: r.class };
    if (r.description !== undefined) rule.description = r.description;
    if (r.codes) rule.codes = new Set(r.codes);
    if (r.sqlstateClasses) rule.sqlstateClasses = new Set(r.sqlstateClasses);
    if (r.types) rule.types = new Set(r.types);
    if (r.errorMessages) rule.errorMessages = r.errorMessages;
    if (r.statuses) rule.statuses = new Set(r.statuses);
    if (r.messages) rule.messages = r.messages;
    return rule;
  });
}

/**
 * The classification table (module level: built once). docs/errors.md lists it.
 * Order: flood before auth/rate_limit (GramJS 420), timeout before network (ETIMEDOUT is also a
 * socket error), validation and database last.
 */
export const CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  {
    class: ERROR_CLASS_VALUE_TELEGRAM_FLOOD,
    description: 'GramJS flood control: FloodWaitError, FLOOD_WAIT_n, FLOOD_PREMIUM_WAIT_n, SLOWMODE_WAIT_n, PEER_FLOOD, code 420',
    types: set('FloodWaitError', 'FloodError', 'SlowModeWaitError', 'FloodTestPhoneWaitError', 'FloodPremiumWaitError', 'MsgWaitError'),
    errorMessages: /^(?:FLOOD|PEER_FLOOD|FLOOD_(?:PREMIUM_|TEST_PHONE_)?WAIT(?:_\d+|_X)?|SLOWMODE_WAIT(?:_\d+|_X)?|FROZEN_METHOD_INVALID)$/,
    statuses: set(420),
    messages: /\bFLOOD_(?:PREMIUM_)?WAIT_\d+\b|\bA wait of \d+ seconds is required\b/,
  },
  {
    class: ERROR_CLASS_VALUE_AUTH,
    description: 'Session and credential errors: AUTH_KEY_UNREGISTERED, SESSION_REVOKED, USER_DEACTIVATED(_BAN), AUTH_KEY_DUPLICATED, HTTP 401/403/407, pg SQLSTATE class 28',
    types: set('UnauthorizedError', 'AuthKeyError', 'AuthenticationError', 'UnauthenticatedError'),
    errorMessages: /^(?:AUTH_KEY_(?:UNREGISTERED|INVALID|DUPLICATED|PERM_EMPTY)|SESSION_(?:REVOKED|EXPIRED|PASSWORD_NEEDED)|USER_DEACTIVATED(?:_BAN)?|API_ID_INVALID|API_ID_PUBLISHED_FLOOD|PHONE_NUMBER_BANNED|AUTH_RESTART|UNAUTHORIZED)$/,
    sqlstateClasses: set('28'),
    statuses: set(401, 403, 407),
    codes: set('ERR_UNAUTHORIZED', 'EAUTH'),
  },
  {
    class: ERROR_CLASS_VALUE_RATE_LIMIT,
    description: 'Throttled by a peer or a limiter: HTTP 429, RateLimitError, rate-limiter rejections',
    types: set('RateLimitError', 'RateLimiterError', 'TooManyRequestsError', 'ThrottlingError'),
    statuses: set(429),
    codes: set('ERR_RATE_LIMITED', 'RATE_LIMITED', 'ETHROTTLED'),
    messages: /\b(?:rate limit(?:ed)?|too many requests)\b/i,
  },
  {
    class: ERROR_CLASS_VALUE_TIMEOUT,
    description: 'Deadlines: ETIMEDOUT, ESOCKETTIMEDOUT, undici timeouts, TimeoutError, pg 57014, GramJS TIMEOUT (-503), HTTP 408/504',
    codes: set('ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ETIME', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
      'ERR_TIMEOUT', '57014', 'TIMEOUT'),
    types: set('TimeoutError', 'TimedOutError', 'AbortTimeoutError'),
    errorMessages: /^(?:TIMEOUT|Timeout|Timedout)$/,
    statuses: set(408, 504),
    messages: /\btim(?:ed|e)[ -]?out\b|\bTIMEOUT\b/i,
  },
  {
    class: ERROR_CLASS_VALUE_NETWORK,
    description: 'Connection failures: ECONNRESET, ECONNREFUSED, EPIPE, ENOTFOUND, EAI_AGAIN, EHOSTUNREACH, ENETUNREACH, UND_ERR_SOCKET, pg SQLSTATE class 08, HTTP 502/503',
    codes: set('ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EHOSTDOWN',
      'ENETUNREACH', 'ENETDOWN', 'ENETRESET', 'ENOTCONN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_SOCKET_CLOSED',
      'ERR_STREAM_PREMATURE_CLOSE', 'ERR_SOCKET_CONNECTION_TIMEOUT'),
    sqlstateClasses: set('08'),
    types: set('FetchError', 'ConnectionError', 'NetworkError'),
    statuses: set(502, 503),
    messages: /\b(?:socket hang up|Connection terminated unexpectedly|Cannot send requests while disconnected|Not connected|connection (?:closed|lost|reset))\b/i,
  },
  {
    class: ERROR_CLASS_VALUE_VALIDATION,
    description: 'Bad input: ZodError, ValidationError, ConfigError, HTTP 400/422, GramJS 400 errors',
    types: set('ZodError', '$ZodError', 'ValidationError', 'ConfigError', 'BadRequestError'),
    codes: set('ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_VALIDATION'),
    statuses: set(400, 422),
  },
  {
    class: ERROR_CLASS_VALUE_DATABASE,
    description: 'Any other PostgreSQL error (a SQLSTATE on a pg DatabaseError: constraint violations, syntax, deadlocks...)',
    anySqlstate: true,
    types: set('DatabaseError'),
  },
];

const SQLSTATE = /^[0-9A-Z]{5}$/;
const NO_RULES: readonly ClassificationRule[] = [];

function sqlstateOf(f: ErrorFacts): string | undefined {
  // EPIPE is also five capitals: only trust a pg-shaped error, or a code that contains a digit.
  if (!f.code || !SQLSTATE.test(f.code)) return undefined;
  return f.pgShape || /\d/.test(f.code) ? f.code : undefined;
}

function matches(rule: ClassificationRule, f: ErrorFacts, sqlstate: string | undefined): boolean {
  if (f.code !== undefined && rule.codes?.has(f.code)) return true;
  if (sqlstate !== undefined && (rule.anySqlstate || rule.sqlstateClasses?.has(sqlstate.slice(0, 2)))) return true;
  if (rule.types?.has(f.type)) return true;
  if (f.errorMessage !== undefined && rule.errorMessages?.test(f.errorMessage)) return true;
  if (f.status !== undefined && rule.statuses?.has(f.status)) return true;
  if (rule.messages?.test(f.message)) return true;
  return false;
}

/**
 * Classifies from already-read facts, looking through up to 3 `cause`s when nothing matches.
 * `extraRules` (the app's own) are tried before the built-in table at each level.
 */
export function classifyFacts(facts: ErrorFacts, extraRules: readonly ClassificationRule[] = NO_RULES): ErrorClass {
  let f: ErrorFacts | undefined = facts;
  for (let depth = 0; f && depth < 4; depth++) {
    const sqlstate = sqlstateOf(f);
    for (const rule of extraRules) {
      if (matches(rule, f, sqlstate)) return rule.class;
    }
    for (const rule of CLASSIFICATION_RULES) {
      if (matches(rule, f, sqlstate)) return rule.class;
    }
    f = f.cause === undefined || f.cause === null ? undefined : errorFacts(f.cause);
  }
  return ERROR_CLASS_VALUE_UNKNOWN;
}

/** Classifies any thrown value into one of the error classes; never throws. */
export function classifyError(err: unknown, extraRules?: readonly ClassificationRule[]): ErrorClass {
  try {
    return classifyFacts(errorFacts(err), extraRules);
  } catch {
    return ERROR_CLASS_VALUE_UNKNOWN;
  }
}
