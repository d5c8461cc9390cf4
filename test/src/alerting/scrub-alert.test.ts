import { strict as assert } from 'node:assert';
import { AlertDispatcher, type Notification, type Alert } from '../../../src/alerting/index';
import { resolveConfig } from '../../../src/config/index';
import { createLogger } from '../../../src/logging/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';
import { LogCapture } from '../../helpers/log-capture';
import { firing } from '../../helpers/alerts';
import { RecordingNotifier } from '../../helpers/alert-recorder';

const SESSION = `1BAAOMTQ5LjE1NC4xNjcuNTAAUE${'kR3x9vQ2mZ8pL4tY6wN1bC5dF7gH0jK'.repeat(11)}Qz8=`;

/** A dispatcher whose log channel is a recorder; shutdown() sends what it holds at once. */
async function deliver(alert: Alert, beforeSend?: (a: Alert) => Alert | null | undefined): Promise<Notification[]> {
  const config = resolveConfig({ service: { name: 't' }, alerting: { matrix: { high: { channels: ['log'] } }, ...(beforeSend ? { beforeSend } : {}) } });
  const log = new RecordingNotifier('log');
  const d = new AlertDispatcher({ config: config.alerting, logger: createLogger({ destination: new LogCapture() }), notifiers: { log } });
  d.receive(alert);
  await d.shutdown(1000);
  return log.got;
}

describe('AlertDispatcher', () => {
  describe('#receive: redaction and alerting.beforeSend', () => {
    before(() => setInternalErrorLogger({ warn: () => {} }));
    after(() => setInternalErrorLogger(undefined));

    it('redacts labels, annotations and the generator URL before any channel sees them', async () => {
      const a = firing('LoginFailures', 'critical', new Date(0), { user: 'jane.doe@example.com' });
      a.annotations.summary = `login failed for +14155552671 with ${SESSION}`;
      a.generatorURL = 'https://admin:hunter2@grafana.example/d/x';
      const [n] = await deliver(a);
      const sent = n.alerts[0];
      assert.equal(sent.labels.user, '[REDACTED]');
      assert.equal(sent.annotations.summary, 'login failed for [REDACTED] with [REDACTED]');
      assert.equal(sent.generatorURL, 'https://[REDACTED]@grafana.example/d/x');
      assert.equal(a.annotations.summary.includes(SESSION), true, 'the caller\'s alert is not changed');
    });

    it('sends what beforeSend returns (it sees the redacted alert) and drops the alert on null', async () => {
      const seen: string[] = [];
      const [n] = await deliver(firing('A', 'critical', new Date(0), { phone: '+14155552671' }), (alert) => {
        seen.push(alert.labels.phone);
        return { ...alert, annotations: { ...alert.annotations, summary: 'scrubbed by the app' } };
      });
      assert.deepEqual(seen, ['[REDACTED]']);
      assert.equal(n.alerts[0].annotations.summary, 'scrubbed by the app');
      assert.deepEqual(await deliver(firing('B', 'critical'), () => null), []);
    });

    it('ignores a throwing beforeSend (the alert goes out redacted) and counts it', async () => {
      const before = internalErrorCount('alerting.beforeSend');
      const [n] = await deliver(firing('C', 'critical', new Date(0), { mail: 'a.b@example.com' }), () => {
        throw new Error('hook bug');
      });
      assert.equal(n.alerts[0].labels.mail, '[REDACTED]');
      assert.equal(internalErrorCount('alerting.beforeSend'), before + 1);
    });

    it('rejects a beforeSend that is not a function at start, by path', () => {
      assert.throws(() => resolveConfig({ service: { name: 't' }, alerting: { beforeSend: 'no' as never } }), /alerting\.beforeSend/);
    });
  });
});
