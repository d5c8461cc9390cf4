import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { redactString } from '../../src/logging/redaction';

/**
 * Redacts a string, looking through percent-encoding too: url.path, url.query and url.full carry
 * `%2B14155552671` or `jane%40example.com`, which no pattern matches in encoded form.
 */
function redactText(v: string): string {
  const clean = redactString(v);
  if (!clean.includes('%')) return clean;
  let decoded: string;
  try {
    decoded = decodeURIComponent(clean);
  } catch {
    return clean;
  }
  const redactedDecoded = redactString(decoded);
  return redactedDecoded === decoded ? clean : redactedDecoded;
}

function redactValue(v: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? redactText(x) : x)) as AttributeValue;
  return v;
}

function redactAttributes(attrs: Attributes): Attributes {
  const out: Attributes = {};
  for (const k of Object.keys(attrs)) out[k] = redactValue(attrs[k]);
  return out;
}

function redactEvent(e: TimedEvent): TimedEvent {
  return e.attributes ? { ...e, attributes: redactAttributes(e.attributes) } : e;
}

/**
 * The span as exported: name, attributes, event attributes and status message redacted. Other
 * instrumentations (http, pg, the app's own spans) write raw error messages into
 * `span.setStatus()` and `recordException()`; this is the last stop before the process boundary.
 * The copy inherits from the span, so everything else (spanContext(), resource, times) is as is.
 */
function redactSpan(span: ReadableSpan): ReadableSpan {
  const status = span.status.message !== undefined ? { ...span.status, message: redactText(span.status.message) } : span.status;
  return Object.create(span, {
    name: { value: redactText(span.name), enumerable: true },
    attributes: { value: redactAttributes(span.attributes), enumerable: true },
    events: { value: span.events.map(redactEvent), enumerable: true },
    status: { value: status, enumerable: true },
  }) as ReadableSpan;
}

/**
 * Wraps the OTLP span exporter so no secret leaves in a trace: the work happens per export batch,
 * off the request path.
 *
 * @internal
 */
export class RedactingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans.map(redactSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
