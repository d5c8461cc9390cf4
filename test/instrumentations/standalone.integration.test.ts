import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { requirePostgres } from './pg/pg-test-helpers';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

interface Seen {
  [name: string]: { kind: 'histogram' | 'sum-or-gauge'; total: number; points: number; scopes: string[]; unit: string };
}

function runFixture(mode: 'meter' | 'producer'): Promise<Seen> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(FIXTURES, 'standalone-instrumentations.cjs'), mode], { timeout: 90_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`standalone-instrumentations.cjs ${mode} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Seen);
    });
  });
}

describe('ws, telegram and pg instrumentations in a plain NodeSDK (no start(), out of process)', () => {
  let meter: Seen;
  let producer: Seen;
  before(async function () {
    this.timeout(180_000);
    await requirePostgres();
    meter = await runFixture('meter');
    producer = await runFixture('producer');
  });

  it('records sums and gauges through the meter each instrumentation is given', () => {
    assert.equal(meter['websocket.messages']?.total, 4, 'one message each way, counted on both ends');
    assert.deepEqual(meter['websocket.messages'].scopes, ['pulseguard-instrumentation-ws']);
    assert.equal(meter['websocket.connections.opened']?.total, 2);
    assert.equal(meter['websocket.connections.closed']?.total, 2);
    assert.deepEqual(meter['telegram.connection.state']?.scopes, ['pulseguard-instrumentation-telegram']);
    assert.deepEqual(meter['db.client.slow_queries']?.scopes, ['pulseguard-instrumentation-pg']);
  });

  it('leaves histograms to the producer: without it none arrives, with it each is exact', () => {
    for (const name of ['websocket.message.size', 'telegram.rpc.duration', 'db.client.operation.duration']) assert.equal(meter[name], undefined, name);
    assert.deepEqual([producer['websocket.message.size']?.total, producer['telegram.rpc.duration']?.total, producer['db.client.operation.duration']?.total], [4, 1, 2]);
    assert.equal(producer['db.client.operation.duration'].unit, 's');
  });

  it('counts nothing twice when the producer is registered (the meter bridge then observes nothing)', () => {
    assert.equal(producer['websocket.messages']?.total, 4);
    for (const [name, m] of Object.entries(producer)) if (!name.startsWith('http.')) assert.equal(m.scopes.length, 1, `${name} under ${m.scopes.join(', ')}`);
    assert.deepEqual(producer['websocket.messages'].scopes, ['pulseguard']);
    assert.equal(producer['websocket.connections.opened']?.total, 2);
  });
});
