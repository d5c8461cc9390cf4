import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryQueue } from '../../src/alerting/stages/delivery-queue';
import { systemClock, type Notification, type Notifier, type NotifyResult } from '../../src/alerting/index';
import { firing, notification } from '../helpers/alerts';

/** A slow, failing channel that records how many attempts overlap. */
class SlowFailingNotifier implements Notifier {
  readonly channel = 'webhook' as const;
  running = 0;
  maxConcurrent = 0;
  attempts: string[] = [];
  async notify(n: Notification): Promise<NotifyResult> {
    this.attempts.push(n.groupKey);
    this.running++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
    await delay(30);
    this.running--;
    return { ok: false, retryable: true, error: '503' };
  }
}

// Issue 18 item 5: DeliveryQueue.flush attempted the head itself while the backoff timer (or an
// enqueue) started another attempt of the same entry: two attempts at once, and one outcome
// counted both failed and dropped.
describe('DeliveryQueue#flush (regression: races the backoff timer)', () => {
  it('never runs two attempts at once and counts each notification once', async () => {
    const outcomes: string[] = [];
    const n = new SlowFailingNotifier();
    const q = new DeliveryQueue(n, { capacity: 10, initialBackoffMs: 20, maxBackoffMs: 20, jitter: 0, maxAgeMs: 3_600_000, timeoutMs: 5000,
      clock: systemClock, onOutcome: (_ch, outcome, x) => outcomes.push(`${outcome}:${x.groupKey}`) });
    q.enqueue(notification('a', firing('A', 'critical')));
    await delay(40); // first attempt failed, the 20 ms backoff timer is pending
    const flushing = q.flush(400);
    await delay(5);
    q.enqueue(notification('b', firing('B', 'critical'))); // an enqueue while flush attempts the head
    await delay(45);
    q.enqueue(notification('c', firing('C', 'critical')));
    await flushing;
    assert.equal(n.maxConcurrent, 1, `overlapping attempts: ${n.attempts.join(',')}`);
    const terminal = outcomes.filter((o) => !o.startsWith('retried'));
    assert.deepEqual(terminal.sort(), ['dropped:a', 'dropped:b', 'dropped:c'], outcomes.join(','));
  });
});
