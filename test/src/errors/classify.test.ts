import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { Api } from 'telegram';
import { RPCMessageToError } from 'telegram/errors';
import { classifyError, CLASSIFICATION_RULES, ERROR_CLASSES, type ErrorClass } from '../../../src/errors/index';
import { ConfigError } from '../../../src/index';
import { TimeoutError } from '../../../src/internal/safe-call';

function withCode(message: string, code: string | number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code }, extra);
}

// Built by GramJS itself, the one place RPC errors are made (docs/telegram.md, `RPCMessageToError`).
function gramjs(errorCode: number, errorMessage: string): Error {
  const request = new Api.messages.SendMessage({ peer: 'me', message: 'hi' });
  return RPCMessageToError(new Api.RpcError({ errorCode, errorMessage }), request) as Error;
}

function pgError(code: string, message: string): Error {
  // The shape pg-protocol's DatabaseError has: severity + SQLSTATE code.
  return Object.assign(new Error(message), { code, severity: 'ERROR', routine: 'x' });
}

function thrownBy(parse: () => unknown): unknown {
  try {
    parse();
  } catch (err) {
    return err;
  }
  throw new Error('zod did not throw');
}
// pulseguard's own schema is written against zod's v3 API; apps on zod 4 throw zod 4's ZodError.
const zod3Error = () => thrownBy(() => z3.object({ n: z3.number() }).parse({ n: 'x' }));
const zod4Error = () => thrownBy(() => z.object({ n: z.number() }).parse({ n: 'x' }));

const CASES: Array<[string, () => unknown, ErrorClass]> = [
  ['ECONNRESET', () => withCode('read ECONNRESET', 'ECONNRESET'), 'network'],
  ['ECONNREFUSED', () => withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'network'],
  ['EPIPE (5 capitals, not a SQLSTATE)', () => withCode('write EPIPE', 'EPIPE'), 'network'],
  ['pg class 08 (connection exception)', () => pgError('08006', 'connection failure'), 'network'],
  ['HTTP 503 on the error', () => Object.assign(new Error('unavailable'), { status: 503 }), 'network'],
  ['fetch failed with an ECONNREFUSED cause', () => new TypeError('fetch failed', { cause: withCode('connect', 'ECONNREFUSED') }), 'network'],
  ['ETIMEDOUT', () => withCode('connect ETIMEDOUT', 'ETIMEDOUT'), 'timeout'],
  ['pulseguard TimeoutError', () => new TimeoutError('x timed out after 5 ms'), 'timeout'],
  ['pg 57014 statement timeout', () => pgError('57014', 'canceling statement due to statement timeout'), 'timeout'],
  ['GramJS Timeout (-503)', () => gramjs(-503, 'Timeout'), 'timeout'],
  ['HTTP 504 in response.status', () => Object.assign(new Error('gateway'), { response: { status: 504 } }), 'timeout'],
  ['HTTP 429', () => Object.assign(new Error('slow down'), { statusCode: 429 }), 'rate_limit'],
  ['RateLimitError', () => Object.assign(new Error('limited'), { name: 'RateLimitError' }), 'rate_limit'],
  ['GramJS AUTH_KEY_UNREGISTERED', () => gramjs(401, 'AUTH_KEY_UNREGISTERED'), 'auth'],
  ['GramJS SESSION_REVOKED', () => gramjs(401, 'SESSION_REVOKED'), 'auth'],
  ['GramJS AUTH_KEY_DUPLICATED', () => gramjs(406, 'AUTH_KEY_DUPLICATED'), 'auth'],
  ['HTTP 401', () => Object.assign(new Error('who are you'), { status: 401 }), 'auth'],
  ['pg class 28 (invalid authorization)', () => pgError('28P01', 'password authentication failed'), 'auth'],
  ['ZodError (zod/v3)', zod3Error, 'validation'],
  ['ZodError (zod 4)', zod4Error, 'validation'],
  ['ConfigError', () => new ConfigError([{ path: 'a', message: 'b' }]), 'validation'],
  ['HTTP 422', () => Object.assign(new Error('bad'), { status: 422 }), 'validation'],
  ['GramJS 400 PEER_ID_INVALID', () => gramjs(400, 'PEER_ID_INVALID'), 'validation'],
  ['pg unique violation 23505', () => pgError('23505', 'duplicate key value violates unique constraint'), 'database'],
  ['pg syntax error 42601', () => pgError('42601', 'syntax error at or near "selec"'), 'database'],
  ['GramJS FLOOD_WAIT_30 (FloodWaitError)', () => gramjs(420, 'FLOOD_WAIT_30'), 'telegram_flood'],
  ['GramJS FLOOD_PREMIUM_WAIT_7', () => gramjs(420, 'FLOOD_PREMIUM_WAIT_7'), 'telegram_flood'],
  ['GramJS SLOWMODE_WAIT_10', () => gramjs(420, 'SLOWMODE_WAIT_10'), 'telegram_flood'],
  ['GramJS PEER_FLOOD (code 400)', () => gramjs(400, 'PEER_FLOOD'), 'telegram_flood'],
  ['a plain object with errorMessage FLOOD_WAIT_5', () => ({ errorMessage: 'FLOOD_WAIT_5', code: 420 }), 'telegram_flood'],
  ['a plain Error', () => new Error('something odd'), 'unknown'],
  ['a string', () => 'oops', 'unknown'],
  ['null', () => null, 'unknown'],
];

describe('classifyError', () => {
  for (const [what, make, expected] of CASES) {
    it(`classifies ${what} as ${expected}`, () => {
      assert.equal(classifyError(make()), expected);
    });
  }

  it('has a test case for every class and a table row for every class but unknown', () => {
    const tested = new Set(CASES.map((c) => c[2]));
    for (const c of ERROR_CLASSES) assert.ok(tested.has(c), `no case for ${c}`);
    const inTable = new Set(CLASSIFICATION_RULES.map((r) => r.class));
    for (const c of ERROR_CLASSES) if (c !== 'unknown') assert.ok(inTable.has(c), `no rule for ${c}`);
  });

  it('tries the app\'s own rules first, then the built-in table', () => {
    const rules = [{ class: 'rate_limit' as const, codes: new Set(['QUOTA_EXCEEDED']) }, { class: 'network' as const, messages: /upstream gone/ }];
    assert.equal(classifyError(withCode('quota', 'QUOTA_EXCEEDED'), rules), 'rate_limit');
    assert.equal(classifyError(withCode('quota', 'QUOTA_EXCEEDED')), 'unknown');
    assert.equal(classifyError(withCode('upstream gone', 'ETIMEDOUT'), rules), 'network');
    assert.equal(classifyError(withCode('read', 'ECONNRESET'), rules), 'network');
  });

  it('never throws, even for an object whose getters throw', () => {
    const hostile = new Proxy({}, {
      get() {
        throw new Error('getter trap');
      },
      getPrototypeOf() {
        throw new Error('proto trap');
      },
    });
    assert.equal(classifyError(hostile), 'unknown');
  });
});
