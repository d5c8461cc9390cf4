import { strict as assert } from 'node:assert';
import type { Notifier } from '../../src/alerting/index';
import { HttpReceiver } from './http-receiver';
import { firing, notification } from './alerts';
import { findFreePort } from '../../src/sdk/free-port';

/**
 * The shared conformance suite every HTTP notifier runs: the retry table by status
 * class, network failure, and no secret of the URL in any error text.
 */
export function describeHttpNotifierConformance(name: string, make: (baseUrl: string) => Notifier, secretPath: string): void {
  describe(`${name} conformance`, () => {
    let receiver: HttpReceiver;
    let base: string;
    before(async () => {
      receiver = new HttpReceiver();
      base = await receiver.start();
    });
    after(() => receiver.stop());

    const table: Array<[number, boolean | 'ok']> = [[200, 'ok'], [202, 'ok'], [400, false], [401, false], [404, false], [429, true], [500, true], [503, true]];
    for (const [status, expected] of table) {
      it(`maps HTTP ${status} to ${expected === 'ok' ? 'ok' : expected ? 'retryable' : 'not retryable'}`, async () => {
        receiver.status = status;
        const r = await make(`${base}${secretPath}`).notify(notification('g', firing('A', 'critical')), new AbortController().signal);
        if (expected === 'ok') assert.equal(r.ok, true);
        else {
          assert.equal(r.ok, false);
          if (!r.ok) {
            assert.equal(r.retryable, expected);
            assert.ok(!r.error.includes(secretPath.replace(/^\//, '')), `error leaks the secret URL: ${r.error}`);
          }
        }
      });
    }

    it('reports a refused connection as retryable without the URL secret', async () => {
      const port = await findFreePort();
      const r = await make(`http://127.0.0.1:${port}${secretPath}`).notify(notification('g', firing('A', 'critical')), new AbortController().signal);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.retryable, true);
        assert.ok(!r.error.includes(secretPath.replace(/^\//, '')), r.error);
      }
    });
  });
}
