import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { DeliveryQueue, type DeliveryQueueOptions } from '../../../src/alerting/stages/delivery-queue';
import { systemClock, type Clock, type Notification, type Notifier, type NotifyResult } from '../../../src/alerting/index';
import { firing, resolved, notification } from '../../helpers/alerts';

function clockOf(fake: sinon.SinonFakeTimers): Clock {
  return { now: () => fake.now, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: (h) => fake.clearTimeout(h as Parameters<typeof fake.clearTimeout>[0]) };
}

class ScriptedNotifier implements Notifier {
  readonly channel = 'webhook' as const;
  readonly delivered: Notification[] = [];
  readonly attemptsAt: number[] = [];
  constructor(private readonly answer: () => NotifyResult, private readonly now: () => number) {}
  async notify(n: Notification): Promise<NotifyResult> {
    this.attemptsAt.push(this.now());
    const r = this.answer();
    if (r.ok) this.delivered.push(n);
    return r;
  }
}

describe('DeliveryQueue', () => {
  let fake: sinon.SinonFakeTimers;
  let outcomes: string[];
  const base = (clock: Clock): DeliveryQueueOptions => ({
    capacity: 10, initialBackoffMs: 1000, maxBackoffMs: 300_000, jitter: 0, maxAgeMs: 24 * 3_600_000, timeoutMs: 5000, clock,
    onOutcome: (_ch, outcome, n) => outcomes.push(`${outcome}:${n.groupKey}:${n.status}`),
  });
  beforeEach(() => {
    fake = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    outcomes = [];
  });
  afterEach(() => fake.restore());

  it('loses no alert when its channel is down for an hour: every state of every group arrives, in order', async () => {
    const down = (): boolean => fake.now < 3_600_000;
    const n = new ScriptedNotifier(() => (down() ? { ok: false, retryable: true, error: '503' } : { ok: true }), () => fake.now);
    const q = new DeliveryQueue(n, base(clockOf(fake)));
    const cpu = firing('HighCpu', 'critical');
    q.enqueue(notification('g-cpu', cpu));
    q.enqueue(notification('g-mem', firing('HighMemory', 'warning')));
    await fake.tickAsync(20 * 60_000);
    q.enqueue(notification('g-cpu', resolved(cpu, new Date(fake.now)))); // superseding state of the same group
    q.enqueue(notification('g-disk', firing('DiskFull', 'critical')));
    await fake.tickAsync(60 * 60_000);
    const got = n.delivered.map((d) => `${d.groupKey}:${d.status}`);
    assert.deepEqual(got, ['g-cpu:firing', 'g-mem:firing', 'g-cpu:resolved', 'g-disk:firing']);
    assert.ok(!outcomes.some((o) => o.startsWith('dropped') || o.startsWith('failed')), outcomes.join(','));
    assert.equal(q.size, 0);
  });

  it('backs off exponentially from the initial delay up to the cap', async () => {
    const n = new ScriptedNotifier(() => ({ ok: false, retryable: true, error: '500' }), () => fake.now);
    const q = new DeliveryQueue(n, { ...base(clockOf(fake)), maxBackoffMs: 8000 });
    q.enqueue(notification('g', firing('A', 'warning')));
    await fake.tickAsync(60_000);
    const gaps = n.attemptsAt.slice(1, 7).map((t, i) => t - n.attemptsAt[i]);
    assert.deepEqual(gaps, [1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('applies jitter within the configured band', async () => {
    const n = new ScriptedNotifier(() => ({ ok: false, retryable: true, error: '500' }), () => fake.now);
    const q = new DeliveryQueue(n, { ...base(clockOf(fake)), jitter: 0.5, random: () => 0 });
    q.enqueue(notification('g', firing('A', 'warning')));
    await fake.tickAsync(10_000);
    assert.equal(n.attemptsAt[1] - n.attemptsAt[0], 500);
  });

  it('gives up at once on a non-retryable answer and reports it as failed', async () => {
    const n = new ScriptedNotifier(() => ({ ok: false, retryable: false, error: '400 bad payload' }), () => fake.now);
    const q = new DeliveryQueue(n, base(clockOf(fake)));
    q.enqueue(notification('g', firing('A', 'warning')));
    await fake.tickAsync(60_000);
    assert.equal(n.attemptsAt.length, 1);
    assert.deepEqual(outcomes, ['failed:g:firing']);
  });

  it('drops the oldest waiting notification when full, and says so', async () => {
    const n = new ScriptedNotifier(() => ({ ok: false, retryable: true, error: '503' }), () => fake.now);
    const q = new DeliveryQueue(n, { ...base(clockOf(fake)), capacity: 2 });
    q.enqueue(notification('a', firing('A', 'warning')));
    q.enqueue(notification('b', firing('B', 'warning')));
    q.enqueue(notification('c', firing('C', 'warning')));
    await fake.tickAsync(1);
    assert.ok(outcomes.includes('dropped:b:firing'), outcomes.join(','));
    assert.equal(q.size, 2);
  });

  it('does not let a failing channel hold up another channel', async () => {
    const bad = new ScriptedNotifier(() => ({ ok: false, retryable: true, error: 'down' }), () => fake.now);
    const good = new ScriptedNotifier(() => ({ ok: true }), () => fake.now);
    const qa = new DeliveryQueue(bad, base(clockOf(fake)));
    const qb = new DeliveryQueue(good, base(clockOf(fake)));
    for (const q of [qa, qb]) q.enqueue(notification('g', firing('A', 'critical')));
    await fake.tickAsync(10);
    assert.equal(good.delivered.length, 1);
    assert.equal(bad.delivered.length, 0);
  });

  it('treats a notifier that throws as a retryable failure', async () => {
    let calls = 0;
    const throwing: Notifier = { channel: 'slack', notify: async () => { calls++; if (calls < 3) throw new Error('boom'); return { ok: true }; } };
    const q = new DeliveryQueue(throwing, base(clockOf(fake)));
    q.enqueue(notification('g', firing('A', 'critical')));
    await fake.tickAsync(10_000);
    assert.equal(calls, 3);
    assert.deepEqual(outcomes, ['retried:g:firing', 'retried:g:firing', 'sent:g:firing']);
  });

});

describe('DeliveryQueue#flush (real time)', () => {
  let outcomes: string[];
  beforeEach(() => { outcomes = []; });
  const opts = (): DeliveryQueueOptions => ({ capacity: 10, initialBackoffMs: 1000, maxBackoffMs: 300_000, jitter: 0, maxAgeMs: 3_600_000, timeoutMs: 5000,
    clock: systemClock, onOutcome: (_ch, outcome, n) => outcomes.push(`${outcome}:${n.groupKey}:${n.status}`) });
  it('flush() delivers what it can within the deadline and counts the rest as dropped', async () => {
    let up = false;
    const n = new ScriptedNotifier(() => (up ? { ok: true } : { ok: false, retryable: true, error: 'down' }), () => Date.now());
    const q = new DeliveryQueue(n, opts());
    q.enqueue(notification('a', firing('A', 'critical')));
    await new Promise((r) => setImmediate(r));
    up = true;
    await q.flush(1000);
    assert.equal(n.delivered.length, 1);
    const q2 = new DeliveryQueue(new ScriptedNotifier(() => ({ ok: false, retryable: true, error: 'down' }), () => Date.now()), opts());
    q2.enqueue(notification('b', firing('B', 'critical')));
    await q2.flush(120);
    assert.ok(outcomes.includes('dropped:b:firing'), outcomes.join(','));
  });
});
