import { SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

// Spans that never end (a leak in the app) must not grow this set without bound.
const MAX_OPEN_SPANS = 1000;

/**
 * A span processor that feeds span names into the breadcrumb trail and, when crash capture is on,
 * remembers the spans still open, so a crash can end them (status ERROR) and the flush exports
 * the request that crashed. Per span it does one ring write and one Set add/delete.
 *
 * @internal
 */
export class SpanTrail implements SpanProcessor {
  private readonly open: Set<Span> | undefined;

  /** `onSpanStart` gets each span's name (the tracker's breadcrumb trail); `trackOpenSpans` when crashes are captured. */
  constructor(private readonly onSpanStart: ((name: string) => void) | undefined, options: { trackOpenSpans: boolean }) {
    this.open = options.trackOpenSpans ? new Set() : undefined;
  }

  onStart(span: Span, _parentContext: Context): void {
    this.onSpanStart?.(span.name);
    if (this.open && this.open.size < MAX_OPEN_SPANS) this.open.add(span);
  }

  onEnd(span: ReadableSpan): void {
    this.open?.delete(span as Span);
  }

  /** Ends every span still open with status ERROR and `message` (already redacted). */
  endOpenSpans(message: string): number {
    if (!this.open) return 0;
    const spans = [...this.open];
    this.open.clear();
    for (const span of spans) {
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.end();
    }
    return spans.length;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.open?.clear();
    return Promise.resolve();
  }
}
