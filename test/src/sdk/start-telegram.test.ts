import { strict as assert } from 'node:assert';
import { start } from '../../../src/index';
import { TelegramInstrumentation } from '../../../instrumentations/telegram/index';

describe('start() with instrumentations.telegram', () => {
  it('exposes telemetry.telegram when enabled (the default) and closes it on shutdown', async () => {
    const t = await start({ service: { name: 'tg-wiring' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' } });
    try {
      assert.ok(t.telegram);
      assert.ok(t.telegram.instrumentation instanceof TelegramInstrumentation);
      assert.equal(t.config.instrumentations.telegram.healthCheckIntervalMs, 300_000);
      const r = await t.telegram.report();
      assert.ok('messageLatency' in r.metrics && 'dcLatency' in r.metrics && 'floodWait' in r.metrics && 'migrations' in r.metrics);
    } finally {
      await t.shutdown();
    }
  });

  it('leaves telemetry.telegram undefined when disabled', async () => {
    const t = await start({
      service: { name: 'tg-off' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      instrumentations: { telegram: { enabled: false } },
    });
    try {
      assert.equal(t.telegram, undefined);
    } finally {
      await t.shutdown();
    }
  });
});
