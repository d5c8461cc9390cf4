import { strict as assert } from 'node:assert';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as sinon from 'sinon';
import { AlertDispatcher, createNotifiers, type Notification, type Notifier, type NotifyResult } from '../../src/alerting/index';
import { DeliveryQueue } from '../../src/alerting/stages/delivery-queue';
import { resolveConfig } from '../../src/config/index';
import { createLogger } from '../../src/logging/index';
import { LogCapture } from '../helpers/log-capture';
import { firing, notification } from '../helpers/alerts';

// Issue 18 item 3: no abort signal reached nodemailer and the queue never raced an attempt against
// timeoutMs: against an SMTP server that accepts and never greets, shutdown took 10 s (nodemailer's
// own greeting timeout) instead of flushTimeoutMs; a notifier ignoring its signal stalled its channel.
describe('alert delivery timeouts (regression: attempts not bounded)', () => {
  describe('e-mail against an SMTP server that never greets', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    before(async () => {
      server = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('shutdown ends within flushTimeoutMs and counts the e-mail as dropped', async () => {
      const logs = new LogCapture();
      const port = (server.address() as AddressInfo).port;
      const config = resolveConfig({ service: { name: 't' }, alerting: {
        channels: { log: { enabled: false }, email: { host: '127.0.0.1', port, from: 'pulseguard@example.com', to: ['oncall@example.com'] } },
        delivery: { timeoutMs: 1000, flushTimeoutMs: 2000 },
      } });
      const logger = createLogger({ destination: logs });
      const d = new AlertDispatcher({ config: config.alerting, logger, notifiers: createNotifiers(config.alerting.channels, logger) });
      d.receive(firing('DbDown', 'critical'));
      const t0 = performance.now();
      await d.shutdown();
      const took = performance.now() - t0;
      assert.ok(took < 3000, `shutdown took ${Math.round(took)} ms`);
      const dropped = logs.json().filter((l) => l.outcome === 'dropped');
      assert.deepEqual(dropped.map((l) => l.alerts), [['DbDown']]);
    });
  });

  describe('a notifier that ignores its abort signal', () => {
    let fake: sinon.SinonFakeTimers;
    beforeEach(() => { fake = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
    afterEach(() => fake.restore());

    it('does not stall its channel: the attempt times out and the retry delivers', async () => {
      let calls = 0;
      const delivered: Notification[] = [];
      const stubborn: Notifier = { channel: 'webhook', notify: (n): Promise<NotifyResult> => {
        calls++;
        if (calls === 1) return new Promise<NotifyResult>(() => undefined); // hangs for ever, whatever the signal says
        delivered.push(n);
        return Promise.resolve({ ok: true });
      } };
      const outcomes: string[] = [];
      const clock = { now: () => fake.now, setTimeout: (fn: () => void, ms: number) => fake.setTimeout(fn, ms), clearTimeout: (h: unknown) => fake.clearTimeout(h as Parameters<typeof fake.clearTimeout>[0]) };
      const q = new DeliveryQueue(stubborn, { capacity: 10, initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: 0, maxAgeMs: 3_600_000, timeoutMs: 5000, clock,
        onOutcome: (_ch, outcome, _n, error) => outcomes.push(`${outcome}${error ? `:${error}` : ''}`) });
      q.enqueue(notification('g', firing('A', 'critical')));
      await fake.tickAsync(7000);
      assert.equal(delivered.length, 1);
      assert.deepEqual(outcomes, ['retried:attempt timed out after 5000 ms', 'sent']);
    });
  });
});
