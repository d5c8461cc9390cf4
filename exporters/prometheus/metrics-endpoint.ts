import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Logger } from '../../src/logging/logger';
import { withTimeout } from '../../src/internal/safe-call';
import { unrefServer } from '../../src/internal/unref-server';
import { markOwnRequest, markOwnServer, requestPath } from '../../src/internal/own-requests';
import { pulseguardMetrics } from '../../src/metrics/registry';
import { PrometheusSerializer } from './prometheus-serializer';
import { PullMetricReader } from './pull-reader';

const gzipAsync = promisify(gzip);
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const overflowMetric = pulseguardMetrics.counter({
  name: 'pulseguard.metric.overflows',
  description: 'Metrics that reached their cardinality limit (new attribute sets fold into one otel.metric.overflow series).',
  unit: '{metric}',
});

/** Settings of {@link MetricsEndpoint}. */
export interface MetricsEndpointOptions {
  host: string;
  port: number;
  endpoint: string;
  gzip: boolean;
  cardinalityLimit: number;
  collectTimeoutMs: number;
  producers: MetricProducer[];
  logger: Logger;
}

/**
 * pulseguard's own /metrics: a pull reader plus a serializer, served from its own port (0 allowed)
 * or mounted on the app's server through {@link MetricsEndpoint.handler}. Unlike the upstream
 * exporter it answers 503 when collection fails (so Prometheus marks the target down), lifts and
 * reports the cardinality limit, and gzips when the scraper accepts it.
 */
export class MetricsEndpoint {
  readonly reader: PullMetricReader;
  private readonly serializer = new PrometheusSerializer();
  private server: Server | undefined;
  private readonly overflowed = new Set<string>();
  private loggedFailure = false;
  url: string | undefined;

  constructor(private readonly opts: MetricsEndpointOptions) {
    this.reader = new PullMetricReader({ metricProducers: opts.producers, cardinalityLimit: opts.cardinalityLimit });
  }

  /** Collects and renders the exposition; rejects when collection reports errors. */
  async render(): Promise<string> {
    const { resourceMetrics, errors } = await withTimeout(this.reader.collect(), this.opts.collectTimeoutMs, 'metric collection');
    if (errors.length > 0) throw new AggregateError(errors, `metric collection failed (${errors.length} error${errors.length === 1 ? '' : 's'})`);
    return this.serializer.serialize(resourceMetrics, (name) => this.onOverflow(name));
  }

  private onOverflow(name: string): void {
    if (this.overflowed.has(name)) return;
    this.overflowed.add(name);
    overflowMetric.series({ metric: name }).add(1);
    this.opts.logger.warn({ metric: name, limit: this.opts.cardinalityLimit },
      'metric reached its cardinality limit; new attribute sets now share one otel.metric.overflow series (raise exporters.prometheus.cardinalityLimit or drop a high-cardinality attribute)');
  }

  /** A node:http handler serving the exposition at any path it is mounted on. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    // A scrape is not app traffic: kept out of http.server.request.duration.
    markOwnRequest(requestPath(req));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    this.render().then(async (text) => {
      this.loggedFailure = false;
      const acceptsGzip = this.opts.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const body = acceptsGzip ? await gzipAsync(text) : Buffer.from(text);
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': body.length, ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    }, (err: unknown) => {
      if (!this.loggedFailure) {
        this.loggedFailure = true;
        this.opts.logger.error({ err }, 'metric collection failed; /metrics answers 503 until it recovers');
      }
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`# metric collection failed: ${err instanceof Error ? err.message : 'unknown error'}\n`);
    });
  };

  /** Starts the standalone server; port 0 picks a free port. Resolves with the scrape URL. */
  listen(): Promise<string> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === this.opts.endpoint) this.handler(req, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found; metrics are at ${this.opts.endpoint}\n`);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.opts.host, port: this.opts.port }, () => {
        server.removeListener('error', reject);
        unrefServer(server);
        markOwnServer(server);
        const { port } = server.address() as AddressInfo;
        const host = this.opts.host === '0.0.0.0' || this.opts.host === '::' ? '127.0.0.1' : this.opts.host;
        this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${this.opts.endpoint}`;
        resolve(this.url);
      });
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections?.(); });
  }
}
