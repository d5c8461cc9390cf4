import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { Api } from 'telegram';
import { METRIC_TELEGRAM_ACCOUNT_LIMITS, METRIC_TELEGRAM_RPC_DURATION, classifyError, createMemorySessionPool } from '../../../instrumentations/telegram/index';
import { MAX_ACCOUNTS, setAccount } from '../../../instrumentations/telegram/accounts';
import { rpcError } from '../../../src/testing/index';
import { FaultWorld } from './fault-world';
import { metricValue } from './harness';

/** A second instance of accounts.ts with its own bound, loaded beside the process-wide one. */
function freshAccountsModule(): typeof import('../../../instrumentations/telegram/accounts') {
  const nodeRequire = createRequire(__filename);
  const path = nodeRequire.resolve('../../../instrumentations/telegram/accounts');
  const shared = nodeRequire.cache[path];
  delete nodeRequire.cache[path];
  try {
    return nodeRequire(path) as typeof import('../../../instrumentations/telegram/accounts');
  } finally {
    if (shared) nodeRequire.cache[path] = shared;
  }
}

const send = (message: string) => new Api.messages.SendMessage({ peer: new Api.InputPeerSelf(), message, randomId: BigInt(Date.now()) as never });

// Issue 19, "What users need": PEER_FLOOD and the frozen-account errors are their own class with
// default rules (the account is limited, not the network slow), and account aliases are bounded.
describe('Telegram account limits and account aliases', function () {
  this.timeout(30_000);

  it('PEER_FLOOD and FROZEN_* are counted as account limits, fire their rules, and never trigger recovery or failover', async () => {
    const w = new FaultWorld();
    try {
      const client = w.newClient(w.dc.sessionString());
      await w.settlesWithin(client.connect(), 5000, 'connect()');
      setAccount(client, 'limited-bot');
      const pool = createMemorySessionPool([{ id: 'standby', session: w.dc.newSession() }]);
      const monitor = w.telemetry.monitorSession({ client, pool, createClient: (s) => w.newClient(s) });
      await w.advance(30_000); // the evaluator has seen the counters at 0
      const peer = { 'telegram.error': 'PEER_FLOOD', 'telegram.account': 'limited-bot' };
      const frozen = { 'telegram.error': 'FROZEN_METHOD_INVALID', 'telegram.account': 'limited-bot' };
      w.dc.on('messages.SendMessage', (_req, { callNumber }) => rpcError(callNumber <= 6 ? 'PEER_FLOOD' : 'FROZEN_METHOD_INVALID'));
      for (let i = 0; i < 8; i++) {
        const failed = await w.settlesWithin(client.invoke(send(`m${i}`)).then(() => undefined, (err: unknown) => err), 5000, 'a refused send');
        assert.equal(classifyError(failed.value).kind, 'limited');
      }
      assert.equal(await metricValue(METRIC_TELEGRAM_ACCOUNT_LIMITS, peer), 6);
      assert.equal(await metricValue(METRIC_TELEGRAM_ACCOUNT_LIMITS, frozen), 2);
      await w.advance(30_000);
      assert.ok(w.firing().includes('TelegramPeerFlood:warning'), w.firing().join());
      assert.ok(w.firing().includes('TelegramAccountFrozen:critical'), w.firing().join());

      const { value: action } = await w.settlesWithin(monitor.checkNow(), 60_000, 'checkNow()');
      assert.equal(action, 'none', 'another connection cannot lift a limit Telegram put on the account');
      assert.deepEqual([monitor.stats.recoveries, monitor.stats.failovers, pool.available()], [0, 0, 1]);
      assert.equal(monitor.health().errorCount, 0, 'limits are not session or connection errors');
    } finally {
      await w.close();
    }
  });

  it('labels metrics with the alias, refuses phone numbers and user ids, and folds aliases beyond the bound into _other', async () => {
    assert.throws(() => setAccount({}, '+14155552671'), /never a phone number/);
    assert.throws(() => setAccount({}, '123456789'), /never a phone number or user id/);
    // The bound is process-wide: exhaust it in a fresh copy of the module, so later tests keep their aliases.
    const values = new Set<string>();
    const fresh = freshAccountsModule();
    for (let i = 0; i < MAX_ACCOUNTS + 5; i++) values.add(fresh.setAccount({}, `bound-${i}`));
    assert.ok(values.has('_other'), 'aliases past the bound share one value');
    assert.equal(values.size, MAX_ACCOUNTS + 1, 'the bound, plus _other');
    const w = new FaultWorld();
    try {
      const client = w.newClient(w.dc.sessionString());
      await w.settlesWithin(client.connect(), 5000, 'connect()');
      assert.equal(setAccount(client, 'bound-0'), 'bound-0', 'a known alias keeps its value');
      const before = await metricValue(METRIC_TELEGRAM_RPC_DURATION, { 'rpc.method': 'help.GetNearestDc', 'telegram.account': 'bound-0' });
      await w.settlesWithin(client.invoke(new Api.help.GetNearestDc()), 5000, 'a call');
      assert.equal(await metricValue(METRIC_TELEGRAM_RPC_DURATION, { 'rpc.method': 'help.GetNearestDc', 'telegram.account': 'bound-0' }), before + 1);
    } finally {
      await w.close();
    }
  });
});
