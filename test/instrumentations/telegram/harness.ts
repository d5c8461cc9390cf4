import { MeterProvider, type MetricData, DataPointType } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { TelegramInstrumentation } from '../../../instrumentations/telegram/index';
import { pulseguardMetrics } from '../../../src/metrics/registry';
import { createHotMetricProducer } from '../../../src/metrics/hot-metric-producer';
import { InspectionReader } from '../../../src/metrics/inspection-reader';
import { FakeTelegram, type FakeDataCenter } from '../../../src/testing/index';

/** Test-only API credentials: a fixed api id and a hash that must never appear in telemetry. */
export const API_ID = 123456;
export const API_HASH = '0123456789abcdef0123456789abcdef';

const spanExporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
const reader = new InspectionReader({ metricProducers: [createHotMetricProducer(pulseguardMetrics, resourceFromAttributes({}))] });
new MeterProvider({ readers: [reader] });

let instrumentation: TelegramInstrumentation | undefined;

/** The one instrumentation of the test process (patching is per process). */
export function instrument(): { instrumentation: TelegramInstrumentation; spans: InMemorySpanExporter } {
  if (!instrumentation) {
    instrumentation = new TelegramInstrumentation();
    instrumentation.setTracerProvider(tracerProvider);
  }
  instrumentation.enable();
  spanExporter.reset();
  return { instrumentation, spans: spanExporter };
}

/** All metrics as the reader sees them. */
export async function collectMetrics(): Promise<MetricData[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
}

/** Sum (or histogram count) of a metric's points whose attributes include `match`. */
export async function metricValue(name: string, match: Record<string, unknown> = {}): Promise<number> {
  const m = (await collectMetrics()).find((x) => x.descriptor.name === name);
  if (!m) return 0;
  let total = 0;
  for (const p of m.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>) {
    if (!Object.entries(match).every(([k, v]) => p.attributes[k] === v)) continue;
    total += m.dataPointType === DataPointType.HISTOGRAM ? (p.value as { count: number }).count : (p.value as number);
  }
  return total;
}

/** The metric's descriptor (name, unit, description), to assert units. */
export async function metricDescriptor(name: string): Promise<MetricData['descriptor'] | undefined> {
  return (await collectMetrics()).find((x) => x.descriptor.name === name)?.descriptor;
}

/** A fake network with one DC and a real TelegramClient on it (not yet connected). */
export function fakeClient(opts: { dcId?: number; floodSleepThreshold?: number } = {}): {
  telegram: FakeTelegram; dc: FakeDataCenter; client: TelegramClient; session: string;
} {
  const telegram = new FakeTelegram();
  const dc = telegram.addDataCenter({ dcId: opts.dcId ?? 2 });
  const session = dc.sessionString();
  const client = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
    connection: telegram.Connection, connectionRetries: 1, requestRetries: 3,
    floodSleepThreshold: opts.floodSleepThreshold ?? 60, baseLogger: new Logger(LogLevel.NONE),
  });
  return { telegram, dc, client, session };
}
