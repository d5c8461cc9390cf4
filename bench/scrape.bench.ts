import { performance } from 'node:perf_hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer as UpstreamSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import * as promClient from 'prom-client';
import { MetricsEndpoint } from '../exporters/prometheus/index';
import { createLogger } from '../src/logging/index';
import { row, formatTable, systemLine, median, type BenchRow } from './lib/bench-table';

/**
 * /metrics scrape cost at 1,000 and 10,000 series: pulseguard's endpoint, the upstream
 * OpenTelemetry Prometheus exporter, and prom-client (the baseline), on the same series in one run.
 * Series mix: 90% counters with two labels, 10% histograms with 8 buckets (each histogram series
 * counts once, as Prometheus-side it is 11 samples). Fairness: the OTel cases include the SDK's
 * collect() because a scrape needs it; prom-client has no separate collect step.
 */

const BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

async function measure(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm up (label caches, JIT)
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function scrapeCase(series: number, iterations: number): Promise<BenchRow> {
  const counters = Math.round(series * 0.9);
  const histograms = series - counters;
  const resource = resourceFromAttributes({ 'service.name': 'bench' });

  const ours = new MetricsEndpoint({ host: '127.0.0.1', port: 0, endpoint: '/metrics', gzip: false, cardinalityLimit: 100_000, collectTimeoutMs: 60_000,
    producers: [], logger: createLogger({ level: 'silent' }) });
  const upstream = new PrometheusExporter({ preventServerStart: true });
  // Separate providers so each reader collects only once per scrape (no shared cumulative state).
  const p1 = new MeterProvider({ resource, readers: [ours.reader], views: [] });
  const p2 = new MeterProvider({ resource, readers: [upstream] });
  for (const p of [p1, p2]) {
    const m = p.getMeter('bench');
    const c = m.createCounter('bench.requests');
    const h = m.createHistogram('bench.latency', { unit: 's', advice: { explicitBucketBoundaries: BUCKETS } });
    for (let i = 0; i < counters; i++) c.add(i, { route: `/r${i % 100}`, code: String(i) });
    for (let i = 0; i < histograms; i++) h.record(0.05, { route: `/h${i}` });
  }
  const reg = new promClient.Registry();
  const pc = new promClient.Counter({ name: 'bench_requests_total', help: 'h', labelNames: ['route', 'code'], registers: [reg] });
  const ph = new promClient.Histogram({ name: 'bench_latency', help: 'h', labelNames: ['route'], buckets: BUCKETS, registers: [reg] });
  for (let i = 0; i < counters; i++) pc.inc({ route: `/r${i % 100}`, code: String(i) }, i);
  for (let i = 0; i < histograms; i++) ph.observe({ route: `/h${i}` }, 0.05);

  const serializer = new UpstreamSerializer();
  const tPromClient = await measure(() => reg.metrics(), iterations);
  const tOurs = await measure(() => ours.render(), iterations);
  const tUpstream = await measure(async () => serializer.serialize((await upstream.collect()).resourceMetrics), iterations);
  await p1.shutdown();
  await p2.shutdown();
  return row({ suite: 'scrape', case: `${series.toLocaleString('en-US')} series`, baseline: tPromClient, pulseguard: tOurs, unit: 'ms/scrape',
    target: '<= 1.0x prom-client', max: 1.0, notes: `upstream exporter ${tUpstream.toFixed(1)} ms (${(tUpstream / tPromClient).toFixed(2)}x)` });
}

/** Runs the suite and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  return [await scrapeCase(1000, 30), await scrapeCase(10_000, 10)];
}

if (require.main === module) {
  run().then((rows) => {
    console.log(systemLine());
    console.log(formatTable(rows));
  }, (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
