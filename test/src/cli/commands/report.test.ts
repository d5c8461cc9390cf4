import { strict as assert } from 'node:assert';
import { run } from '../../../../src/cli/commands/report';
import { MetricsEndpoint } from '../../../../exporters/prometheus/index';
import { createLogger } from '../../../../src/logging/index';
import { LogCapture } from '../../../helpers/log-capture';

describe('pulseguard report', () => {
  describe('--prometheus', () => {
    it('says that a service\'s /metrics port is not a Prometheus API (was a JSON syntax error)', async () => {
      const endpoint = new MetricsEndpoint({ host: '127.0.0.1', port: 0, endpoint: '/metrics', gzip: false, cardinalityLimit: 2000,
        collectTimeoutMs: 2000, producers: [], logger: createLogger({ destination: new LogCapture() }) });
      const metricsUrl = await endpoint.listen();
      const base = metricsUrl.replace(/\/metrics$/, '');
      const errors: string[] = [];
      try {
        const code = await run(['--prometheus', base, '--period', '5m'], () => undefined, (s) => errors.push(s));
        assert.equal(code, 1);
      } finally {
        await endpoint.close();
      }
      const text = errors.join('\n');
      assert.match(text, new RegExp(`${base}/api/v1/query(_range)? is not a Prometheus HTTP API \\(it answered HTTP 404, text/plain\\)`));
      assert.match(text, /base URL of a Prometheus server/);
      assert.doesNotMatch(text, /Unexpected token|not valid JSON/);
    });
  });
});
