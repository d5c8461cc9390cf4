import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import { METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_LATENCY } from '../../instrumentations/telegram/index';
import { rpcError } from '../../src/testing/index';
import { FaultWorld } from '../instrumentations/telegram/fault-world';
import { collectMetrics } from '../instrumentations/telegram/harness';

/** The largest recorded value (max) of a histogram's points for `rpc.method`. */
async function maxSeconds(name: string, method: string): Promise<number> {
  const m = (await collectMetrics()).find((x) => x.descriptor.name === name);
  let max = 0;
  for (const p of (m?.dataPoints ?? []) as Array<{ attributes: Record<string, unknown>; value: { max?: number } }>) {
    if (p.attributes['rpc.method'] === method) max = Math.max(max, p.value.max ?? 0);
  }
  return max;
}

// Issue 19, item 3, through the one judge: telegram.rpc.duration includes the flood sleeps GramJS
// takes, and TelegramRpcLatencyHigh read it, so one FLOOD_WAIT_3 in a quiet window made
// /health/telegram 503 for five minutes ("messageLatency" 4850 ms) though messageLatency itself
// excludes sleeps. The rule now reads telegram.rpc.latency.
describe('regression: one slept flood wait does not make /health/telegram unhealthy', function () {
  this.timeout(30_000);

  it('keeps the endpoint healthy for the five minutes after a FLOOD_WAIT_3', async () => {
    const w = new FaultWorld();
    try {
      const client = w.newClient(w.dc.sessionString());
      await w.settlesWithin(client.connect(), 5000, 'connect()');
      w.telemetry.monitorSession({ client });
      await w.advance(30_000);
      w.dc.once('users.GetFullUser', () => rpcError('FLOOD_WAIT_3'));
      const { tookMs } = await w.settlesWithin(client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() })), 5000, 'the call');
      assert.ok(tookMs >= 3000, 'GramJS slept the flood wait');
      assert.ok((await maxSeconds(METRIC_TELEGRAM_RPC_DURATION, 'users.GetFullUser')) >= 3, 'the duration keeps the sleep, as the app waited it');
      assert.ok((await maxSeconds(METRIC_TELEGRAM_RPC_LATENCY, 'users.GetFullUser')) < 1, 'the latency leaves it out');
      for (let t = 0; t < 5 * 60_000; t += 15_000) {
        await w.advance(15_000);
        const body = await w.health();
        assert.equal(body.status, 'healthy', `${t / 1000} s after the flood wait: ${JSON.stringify(body.decidedBy)}`);
      }
      assert.deepEqual(w.firing(), []);
    } finally {
      await w.close();
    }
  });
});
