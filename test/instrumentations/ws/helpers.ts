import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { MeterProvider, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import type { Attributes } from '@opentelemetry/api';
import { InspectionReader } from '../../../src/metrics/inspection-reader';
import { createHotMetricProducer } from '../../../src/metrics/hot-metric-producer';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { until } from '../../helpers/poll';

/** One reader over pulseguard's hot registry, as start() wires it (tests assert through it). */
const reader = new InspectionReader({ metricProducers: [createHotMetricProducer(pulseguardMetrics, resourceFromAttributes({ 'service.name': 'ws-test' }))] });
new MeterProvider({ readers: [reader] });

/** A point's value: a sum/gauge value, or a histogram's count. */
function pointValue(m: MetricData, attrs: Attributes): number {
  for (const p of m.dataPoints as Array<{ attributes: Attributes; value: unknown }>) {
    if (Object.keys(attrs).every((k) => p.attributes[k] === attrs[k]) && Object.keys(p.attributes).length === Object.keys(attrs).length) {
      return m.dataPointType === DataPointType.HISTOGRAM ? (p.value as { count: number }).count : (p.value as number);
    }
  }
  return 0;
}

/** A collected metric stream with lookups by name and exact attribute set. */
export class Snapshot {
  constructor(readonly rm: ResourceMetrics) {}
  metric(name: string): MetricData | undefined {
    for (const s of this.rm.scopeMetrics) for (const m of s.metrics) if (m.descriptor.name === name) return m;
    return undefined;
  }
  /** Value (histograms: count) of the series with exactly these attributes; 0 when absent. */
  value(name: string, attrs: Attributes): number {
    const m = this.metric(name);
    return m ? pointValue(m, attrs) : 0;
  }
  /** Histogram sum of the series with exactly these attributes. */
  sum(name: string, attrs: Attributes): number {
    const m = this.metric(name);
    if (!m) return 0;
    for (const p of m.dataPoints as Array<{ attributes: Attributes; value: { sum?: number } }>) {
      if (Object.keys(attrs).every((k) => p.attributes[k] === attrs[k]) && Object.keys(p.attributes).length === Object.keys(attrs).length) return p.value.sum ?? 0;
    }
    return 0;
  }
}

/** Reads the metric stream through the reader. */
export async function collect(): Promise<Snapshot> {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new Error(`collect errors: ${errors.map(String).join(', ')}`);
  return new Snapshot(resourceMetrics);
}

/** Difference of one series between two snapshots (counters are cumulative and process-wide). */
export function delta(before: Snapshot, after: Snapshot, name: string, attrs: Attributes): number {
  return after.value(name, attrs) - before.value(name, attrs);
}

/** A server on port 0 on loopback. */
export async function startServer(options: ServerOptions = {}): Promise<{ wss: WebSocketServer; url: string; port: number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  await once(wss, 'listening');
  const port = (wss.address() as AddressInfo).port;
  return { wss, url: `ws://127.0.0.1:${port}`, port };
}

/** Opens a client and waits for 'open' (rejects on 'error'). */
export function connect(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves when the socket emitted 'close', with its code. */
export function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

/** Closes a server and every socket it holds. */
export async function stopServer(wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

/** Waits until every server-side socket of `wss` has closed and been counted. */
export async function serverDrained(wss: WebSocketServer): Promise<void> {
  await until(() => wss.clients.size === 0, 'server sockets to close');
}
