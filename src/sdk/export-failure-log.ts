import type { ExportResult } from '@opentelemetry/core';
import type { Logger } from '../logging/logger';

/** An OTLP exporter: anything with the SDK's callback-style export(). */
interface CallbackExporter<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
}

/** The endpoint as it may appear in a log: no user or password. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'an invalid URL';
  }
}

/**
 * Logs an exporter's failures once, with the endpoint, until an export succeeds again (then says
 * so). The SDK reports OTLP failures only through its diag logger, which is silent by default: a
 * wrong endpoint (the README's http://tempo:4318 outside its network) looked like success.
 * The result still goes to the SDK unchanged.
 * @internal
 */
export function logExportFailures<T, E extends CallbackExporter<T>>(exporter: E, signal: 'traces' | 'metrics', url: string, logger: Logger): E {
  const original = exporter.export.bind(exporter);
  const endpoint = redactUrl(url);
  let failing = false;
  exporter.export = (items: T, resultCallback: (result: ExportResult) => void): void => {
    original(items, (result) => {
      // ExportResultCode.SUCCESS is 0.
      if (result.code !== 0 && !failing) {
        failing = true;
        logger.error({ endpoint, err: result.error }, `OTLP ${signal} export to ${endpoint} failed; further failures are not logged until an export succeeds`);
      } else if (result.code === 0 && failing) {
        failing = false;
        logger.info({ endpoint }, `OTLP ${signal} export to ${endpoint} works again`);
      }
      resultCallback(result);
    });
  };
  return exporter;
}
