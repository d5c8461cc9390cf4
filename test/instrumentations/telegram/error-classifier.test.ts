import { strict as assert } from 'node:assert';
import { errors } from 'telegram';
import { Api } from 'telegram';
import { classifyError } from '../../../instrumentations/telegram/index';
import { MethodNames } from '../../../instrumentations/telegram/utils';
import { instrument } from './harness';

const req = new Api.updates.GetState();
// Built by the real (patched) RPCMessageToError, as MTProtoSender does for an rpc_error.
const build = (code: number, message: string): unknown => errors.RPCMessageToError(new Api.RpcError({ errorCode: code, errorMessage: message }), req);

describe('classifyError', () => {
  before(() => instrument());

  it('keeps FLOOD_PREMIUM_WAIT apart from FLOOD_WAIT though GramJS builds the same class', () => {
    const e = build(420, 'FLOOD_PREMIUM_WAIT_7');
    assert.ok(e instanceof errors.FloodWaitError);
    assert.deepEqual(classifyError(e).flood, { kind: 'FLOOD_PREMIUM_WAIT', seconds: 7 });
    assert.deepEqual(classifyError(build(420, 'FLOOD_WAIT_3')).flood, { kind: 'FLOOD_WAIT', seconds: 3 });
    assert.deepEqual(classifyError(build(420, 'SLOWMODE_WAIT_10')).flood, { kind: 'SLOWMODE_WAIT', seconds: 10 });
  });

  it('reads the target DC of *_MIGRATE_N and folds the number out of the family', () => {
    const c = classifyError(build(303, 'USER_MIGRATE_4'));
    assert.equal(c.family, 'USER_MIGRATE');
    assert.equal(c.migrateTo, 4);
    assert.equal(c.code, 303);
  });

  it('marks session errors by code and message', () => {
    for (const [code, msg] of [[401, 'AUTH_KEY_UNREGISTERED'], [401, 'SESSION_REVOKED'], [401, 'USER_DEACTIVATED_BAN'], [406, 'AUTH_KEY_DUPLICATED']] as const) {
      const c = classifyError(build(code, msg));
      assert.equal(c.session, true, msg);
      assert.equal(c.family, msg);
      assert.equal(c.code, code);
    }
    assert.equal(classifyError(build(400, 'PEER_ID_INVALID')).session, false);
  });

  it('names non-RPC errors by class, and GramJS keep-alive timeouts TIMEOUT', () => {
    assert.equal(classifyError(new TypeError('x')).family, 'TYPEERROR');
    assert.equal(classifyError(new Error('TIMEOUT')).family, 'TIMEOUT');
    assert.equal(classifyError('a string').family, 'STRING');
  });
});

describe('MethodNames', () => {
  it('keeps TL names and folds anything else, or anything beyond the limit, into _other', () => {
    const m = new MethodNames(2);
    assert.equal(m.bound('messages.SendMessage'), 'messages.SendMessage');
    assert.equal(m.bound('not a tl name; drop table'), '_other');
    assert.equal(m.bound('PingDelayDisconnect'), 'PingDelayDisconnect');
    assert.equal(m.bound('users.GetUsers'), '_other', 'limit of 2 reached');
    assert.equal(m.bound('messages.SendMessage'), 'messages.SendMessage', 'known names stay');
  });
});
