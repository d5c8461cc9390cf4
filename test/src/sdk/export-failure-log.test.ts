import { strict as assert } from 'node:assert';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ExportResult } from '@opentelemetry/core';
import { createLogger } from '../../../src/logging/index';
import { logExportFailures } from '../../../src/sdk/export-failure-log';
import { findFreePort } from '../../../src/sdk/free-port';
import { LogCapture } from '../../helpers/log-capture';

describe('logExportFailures', () => {
  it('logs an unreachable OTLP endpoint once, with the endpoint and without credentials', async () => {
    // A port nothing listens on: the export is refused, as with a wrong host in the README example.
    const url = `http://user:s3cret@127.0.0.1:${await findFreePort()}/v1/traces`;
    const logs = new LogCapture();
    const exporter = logExportFailures(new OTLPTraceExporter({ url, timeoutMillis: 2000 }), 'traces', url, createLogger({ destination: logs }));
    const exportOnce = () => new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    const results = [await exportOnce(), await exportOnce(), await exportOnce()];
    await exporter.shutdown();
    assert.ok(results.every((r) => r.code !== 0), 'every export failed');
    const errors = logs.json().filter((l) => l.level === 50);
    assert.equal(errors.length, 1, logs.text);
    const endpoint = url.replace('user:s3cret@', '');
    assert.equal(errors[0].endpoint, endpoint);
    assert.equal(errors[0].msg, `OTLP traces export to ${endpoint} failed; further failures are not logged until an export succeeds`);
    assert.doesNotMatch(logs.text, /s3cret/);
  });
});
