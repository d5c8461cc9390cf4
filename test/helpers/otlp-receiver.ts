import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as OTLP/JSON carries it (the fields the tests read). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
  events?: Array<{ name: string }>;
  links?: Array<{ traceId: string; spanId: string }>;
}

/**
 * A local OTLP/HTTP receiver (JSON encoding, as @opentelemetry/exporter-*-otlp-http send): decodes
 * what arrives at /v1/traces and /v1/metrics. `failNext` answers 503 that many times first.
 */
export class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly metricNames = new Set<string>();
  readonly resourceAttributes: Array<Record<string, unknown>> = [];
  /** Every request body as received (JSON text), for tests that search the raw payloads. */
  readonly bodies: string[] = [];
  failNext = 0;
  requests = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        this.requests++;
        this.bodies.push(data);
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(503).end();
          return;
        }
        const body = JSON.parse(data || '{}') as {
          resourceSpans?: Array<{ resource?: { attributes?: Array<{ key: string; value: Record<string, unknown> }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
          resourceMetrics?: Array<{ scopeMetrics: Array<{ metrics: Array<{ name: string }> }> }>;
        };
        for (const rs of body.resourceSpans ?? []) {
          this.resourceAttributes.push(Object.fromEntries((rs.resource?.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]])));
          for (const ss of rs.scopeSpans) this.spans.push(...ss.spans);
        }
        for (const rm of body.resourceMetrics ?? []) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) this.metricNames.add(m.name);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Attribute value of a span, unwrapped from OTLP's typed value. */
  static attr(span: OtlpSpan, key: string): unknown {
    const a = span.attributes?.find((x) => x.key === key);
    return a ? Object.values(a.value)[0] : undefined;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
