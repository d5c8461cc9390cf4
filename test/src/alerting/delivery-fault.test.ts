import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import type { Notification } from '../../../src/alerting/index';
import { DeliveryQueue } from '../../../src/alerting/stages/delivery-queue';
import { fakeClock, recordingDispatcher, RecordingNotifier } from '../../helpers/alert-recorder';
import { firing, resolved } from '../../helpers/alerts';

const MIN = 60_000;
const STATE_CHANGES = new Set(['new', 'changed', 'resolved']);

/** alertname -> statuses it was announced with, in delivery order (repeats carry no change). */
function changesByAlert(got: Notification[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of got) {
    if (!STATE_CHANGES.has(n.reason)) continue;
    for (const a of n.alerts) {
      const seen = (out[a.labels.alertname] ??= []);
      if (seen[seen.length - 1] !== a.status) seen.push(a.status);
    }
  }
  return out;
}

describe('AlertDispatcher under a channel outage (fake clock)', () => {
  let fake: sinon.SinonFakeTimers;
  beforeEach(() => { fake = fakeClock(); });
  afterEach(() => fake.restore());

  it('delivers every state change exactly once and in order after an hour down, and counts add up', async () => {
    const { d, rec, logs } = recordingDispatcher(['slack']);
    const slack = rec.slack as RecordingNotifier;
    const at = (m: number) => fake.tickAsync(m * MIN - fake.now);
    const A = firing('ApiDown', 'critical');
    const B = firing('SlowApi', 'warning');
    const C = firing('QueueBacklog', 'warning');
    slack.down = true;
    d.receive(A);
    d.receive(B);
    await at(10);
    d.receive(resolved(A, new Date(fake.now)));
    await at(20);
    d.receive({ ...A, startsAt: new Date(fake.now) });
    await at(30);
    d.receive(C);
    await at(40);
    d.receive(resolved(B, new Date(fake.now)));
    await at(50);
    d.receive(resolved(C, new Date(fake.now)));
    await at(60);
    assert.equal(slack.got.length, 0, 'nothing gets through while down');
    slack.down = false;
    await at(90);

    assert.deepEqual(changesByAlert(slack.got), {
      ApiDown: ['firing', 'resolved', 'firing'],
      SlowApi: ['firing', 'resolved'],
      QueueBacklog: ['firing', 'resolved'],
    });
    // Exactly once: no state-change notification was delivered twice.
    const changes = slack.got.filter((n) => STATE_CHANGES.has(n.reason));
    assert.equal(new Set(changes).size, changes.length);
    assert.equal(changes.length, 7, slack.summary().join('\n'));
    // Repeats never pile up behind an outage: a group is repeated only once its last notification got through.
    assert.ok(slack.got.filter((n) => n.reason === 'repeat').length <= 6, slack.summary().join('\n'));
    const outcomes = logs.json().filter((l) => l.outcome === 'dropped' || l.outcome === 'failed');
    assert.deepEqual(outcomes, [], 'no drop below the bounds');
    assert.equal(d.pending().slack, 0);
  });

  it('drops only at the queue bound, logs each drop with the alert names, and sent + dropped = produced', async () => {
    const enqueue = sinon.spy(DeliveryQueue.prototype, 'enqueue');
    const { d, rec, logs } = recordingDispatcher(['slack'], { delivery: { queueSize: 2 } });
    const slack = rec.slack as RecordingNotifier;
    slack.down = true;
    const names = ['A1', 'A2', 'A3', 'A4', 'A5'];
    for (const name of names) d.receive(firing(name, 'warning'));
    await fake.tickAsync(60 * MIN);
    slack.down = false;
    await fake.tickAsync(10 * MIN);
    const produced = enqueue.returnValues.filter((queued) => queued).length;
    enqueue.restore();
    const dropped = logs.json().filter((l) => l.outcome === 'dropped');
    assert.ok(dropped.length >= 3, 'five groups into a queue of two');
    assert.ok(dropped.every((l) => /queue full \(2\)/.test(String(l.error))), JSON.stringify(dropped));
    assert.ok(dropped.every((l) => (l.alerts as string[]).length === 1 && names.includes((l.alerts as string[])[0])), 'each drop names its alert');
    assert.equal(slack.got.length + dropped.length, produced, 'sent + dropped = produced');
    // Every alert either got through or was dropped with its name in the log: none vanished silently.
    const sentNames = slack.got.flatMap((n) => n.alerts.map((a) => a.labels.alertname));
    const droppedNames = dropped.flatMap((l) => l.alerts as string[]);
    assert.deepEqual([...new Set([...sentNames, ...droppedNames])].sort(), names);
  });
});
