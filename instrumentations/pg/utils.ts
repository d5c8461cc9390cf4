import { DB_OPERATION_NAME_VALUE_OTHER, ERROR_TYPE_VALUE_OTHER } from './semconv';

/**
 * The SQL command keywords PostgreSQL accepts as the first word of a statement. Anything else
 * (dynamic SQL, a typo, a value where a keyword should be) becomes `_OTHER`, so the operation
 * name, a metric attribute, stays a closed set.
 */
const KNOWN_OPERATIONS: ReadonlySet<string> = new Set([
  'ABORT', 'ALTER', 'ANALYZE', 'BEGIN', 'CALL', 'CHECKPOINT', 'CLOSE', 'CLUSTER', 'COMMENT', 'COMMIT',
  'COPY', 'CREATE', 'DEALLOCATE', 'DECLARE', 'DELETE', 'DISCARD', 'DO', 'DROP', 'END', 'EXECUTE',
  'EXPLAIN', 'FETCH', 'GRANT', 'IMPORT', 'INSERT', 'LISTEN', 'LOAD', 'LOCK', 'MERGE', 'MOVE', 'NOTIFY',
  'PREPARE', 'REASSIGN', 'REFRESH', 'REINDEX', 'RELEASE', 'RESET', 'REVOKE', 'ROLLBACK', 'SAVEPOINT',
  'SECURITY', 'SELECT', 'SET', 'SHOW', 'START', 'TABLE', 'TRUNCATE', 'UNLISTEN', 'UPDATE', 'VACUUM',
  'VALUES', 'WITH',
]);

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The operation name of a statement: its first keyword, upper-cased, as instrumentation-pg
 * reports it, but skipping leading comments and parentheses and collapsing unknown words to
 * `_OTHER` (the cardinality guard). Pure and allocation-light: it runs on every query.
 */
export function extractOperationName(text: string): string {
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 40 /* ( */)) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return DB_OPERATION_NAME_VALUE_OTHER;
      i = nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return DB_OPERATION_NAME_VALUE_OTHER;
      i = end + 2;
    } else break;
  }
  let j = i;
  while (j < n && j - i <= 12 && isWordChar(text.charCodeAt(j))) j++;
  if (j === i || j - i > 12) return DB_OPERATION_NAME_VALUE_OTHER;
  const word = text.slice(i, j).toUpperCase();
  return KNOWN_OPERATIONS.has(word) ? word : DB_OPERATION_NAME_VALUE_OTHER;
}

/** Longest normalised statement kept (logs, slowQueries()); longer ones are cut with "…". */
export const MAX_STATEMENT_LENGTH = 2048;

/**
 * Removes every literal from a statement so it can be logged and grouped: string, escape-string
 * and dollar-quoted literals and numbers become `$n` placeholders (numbered after the highest
 * placeholder the statement already uses, so the result is still valid SQL that PREPARE accepts),
 * comments are dropped and whitespace collapsed. Identifiers, including "quoted" ones, are kept.
 * Raw values never survive: an unterminated literal swallows the rest of the text.
 */
export function normalizeStatement(text: string): string {
  let next = highestPlaceholder(text) + 1;
  let out = '';
  let pendingSpace = false;
  const n = text.length;
  let i = 0;
  const emit = (s: string): void => {
    if (pendingSpace && out.length > 0) out += ' ';
    pendingSpace = false;
    out += s;
  };
  while (i < n && out.length <= MAX_STATEMENT_LENGTH) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      pendingSpace = true;
      i++;
    } else if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      pendingSpace = true;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      pendingSpace = true;
    } else if (c === 39 /* ' */ || ((c === 69 || c === 101) /* E e */ && text.charCodeAt(i + 1) === 39 && !isWordChar(text.charCodeAt(i - 1)))) {
      i = skipQuoted(text, c === 39 ? i : i + 1, c !== 39);
      emit(`$${next++}`);
    } else if (c === 34 /* " */) {
      const end = skipQuoted(text, i, false, 34);
      emit(text.slice(i, end));
      i = end;
    } else if (c === 36 /* $ */) {
      const m = /^\$(\d+)|^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (m && m[1] !== undefined) {
        emit(m[0]);
        i += m[0].length;
      } else if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        emit(`$${next++}`);
      } else {
        emit('$');
        i++;
      }
    } else if ((c >= 48 && c <= 57) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      if (isWordChar(text.charCodeAt(i - 1)) || isDigit(text.charCodeAt(i - 1))) {
        // part of an identifier such as t1
        emit(text[i]);
        i++;
        continue;
      }
      let j = i;
      while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 46 || ((text.charCodeAt(j) | 32) === 101 && j > i))) {
        if ((text.charCodeAt(j) | 32) === 101 && (text.charCodeAt(j + 1) === 45 || text.charCodeAt(j + 1) === 43)) j++;
        j++;
      }
      emit(`$${next++}`);
      i = j;
    } else {
      let j = i + 1;
      if (isWordChar(c)) while (j < n && (isWordChar(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
      emit(text.slice(i, j));
      i = j;
    }
  }
  return out.length > MAX_STATEMENT_LENGTH ? `${out.slice(0, MAX_STATEMENT_LENGTH)}…` : out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function skipQuoted(text: string, start: number, backslashEscapes: boolean, quote = 39): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

function highestPlaceholder(text: string): number {
  let max = 0;
  const re = /\$(\d+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) max = Math.max(max, Number(m[1]));
  return max;
}

/** Number of `$n` parameters a statement uses (the highest n). */
export function countPlaceholders(text: string): number {
  return highestPlaceholder(text);
}

/** Network error codes kept as `error.type`; every other non-SQL error is `_OTHER`. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
]);
const SQLSTATE_RE = /^[0-9A-Z]{5}$/;

/**
 * `error.type` for a failed query, from a closed set: the SQLSTATE code PostgreSQL returned
 * (e.g. `57014` for a cancelled statement; the same value instrumentation-pg puts there), a
 * network error code, `timeout` for pg's client-side query timeout, or `_OTHER`.
 */
export function errorTypeOf(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (SQLSTATE_RE.test(code) || NETWORK_ERROR_CODES.has(code))) return code;
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string' && message.startsWith('Query read timeout')) return 'timeout';
  }
  return ERROR_TYPE_VALUE_OTHER;
}

/** The port node-postgres connects to when neither the options nor the connection string name one. */
const DEFAULT_PG_PORT = '5432';

/**
 * Host, port and database of a `postgres://` connection string, as node-postgres reads it (its
 * values win over the separate options). The user and password are never read. A string that is
 * not a URL gives nothing, so the caller falls back to the separate options.
 */
function connectionStringParts(connectionString: unknown): { host?: string; port?: string; database?: string } {
  if (typeof connectionString !== 'string') return {};
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return {};
  }
  // A socket directory or another host can be given as ?host=; it wins over the authority.
  const host = url.searchParams.get('host') ?? decodeURIComponent(url.hostname);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: host || undefined,
    port: url.port || (host ? DEFAULT_PG_PORT : undefined),
    database: database || undefined,
  };
}

/**
 * `db.client.connection.pool.name`, as instrumentation-pg's getPoolName builds it
 * (`host:port/database`), and also for a pool made from a connection string, which
 * instrumentation-pg names `unknown_host:unknown_port/unknown_database`.
 */
export function poolNameOf(options: { host?: unknown; port?: unknown; database?: unknown; connectionString?: unknown } | undefined): string {
  const parsed = connectionStringParts(options?.connectionString);
  const host = parsed.host ?? (options?.host ? String(options.host) : 'unknown_host');
  const port = parsed.port ?? (options?.port ? String(options.port) : 'unknown_port');
  const database = parsed.database ?? (options?.database ? String(options.database) : 'unknown_database');
  return `${host}:${port}/${database}`.trim();
}
