import { SpanKind, SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { reportInternalError } from '../../src/internal/internal-errors';
import { accountOf } from './accounts';
import type { HandlerCollector, HandlerSeries } from './metrics/handler-collector';
import { SPAN_UPDATE_HANDLER, UPDATE_TYPE_VALUE_OTHER } from './semconv';
import { WeakRefs } from './weak-refs';

const COMPONENT = 'telegram.instrumentation';
/** On a timing wrapper: the app's own handler it stands for. */
const ORIGINAL = Symbol.for('pulseguard.telegram.handlerOriginal');
// GramJS's StopPropagation (client/updates.js) ends the dispatch on purpose: not a handler failure.
const STOP_PROPAGATION = 'StopPropagation';

type Handler = ((this: unknown, event: unknown) => unknown) & { [ORIGINAL]?: Handler };
type EventEntry = [unknown, Handler | undefined];
interface EventLike {
  className?: unknown;
  originalUpdate?: { className?: unknown };
  _client?: object;
  constructor?: { name?: unknown };
}

/** Where handler runs are reported. @internal */
export interface HandlerTiming {
  collector(): HandlerCollector;
  /** The tracer when spans are on, undefined when off. */
  tracer(): Tracer | undefined;
}

/**
 * Times the app's update handlers. GramJS keeps them as `[eventBuilder, callback]` pairs in
 * `client._eventBuilders` and awaits each callback in `_dispatchUpdate`, a module-internal call
 * no patch reaches; so the callbacks themselves are swapped, in place, for timing wrappers just
 * before each update is dispatched (from the sender's update callback). That covers handlers
 * added at any time, clients connected before start(), and handlers moved by a failover. The
 * wrapper of a handler is made once and reused. `listEventHandlers()` and `removeEventHandler()`
 * put the app's own functions back first ({@link restoreHandlers}), so the app and the session
 * monitor always see the functions they registered.
 *
 * @internal
 */
export class UpdateHandlerTimer {
  private readonly wrappers = new WeakMap<Handler, Handler>();
  // The clients whose handlers were swapped, for restoreAll().
  private readonly clients = new WeakRefs<object>();

  constructor(private readonly timing: HandlerTiming) {}

  /** Swaps every handler of `client` not yet wrapped for its timing wrapper. */
  wrapHandlers(client: object): void {
    const entries = (client as { _eventBuilders?: unknown })._eventBuilders;
    if (!Array.isArray(entries)) return;
    this.clients.add(client);
    for (const entry of entries as EventEntry[]) {
      const cb = Array.isArray(entry) ? entry[1] : undefined;
      if (typeof cb !== 'function' || cb[ORIGINAL] !== undefined) continue;
      let w = this.wrappers.get(cb);
      if (w === undefined) {
        w = this.wrap(cb);
        this.wrappers.set(cb, w);
      }
      entry[1] = w;
    }
  }

  /** Puts the app's own functions back into every client it wrapped handlers of (the instrumentation is disabled). */
  restoreAll(): void {
    for (const client of this.clients.drain()) restoreHandlers(client);
  }

  private wrap(handler: Handler): Handler {
    const timer = { seriesOf: (e: unknown) => this.seriesOf(e), startSpan: (s: HandlerSeries) => this.startSpan(s),
      end: (s: HandlerSeries | undefined, t0: number, span: Span | undefined, err: unknown) => this.end(s, t0, span, err) };
    // Locals, not a per-run object: a synchronous handler run allocates nothing here (a span only when tracing is on).
    const wrapped: Handler = function timedUpdateHandler(this: unknown, event: unknown) {
      const s = timer.seriesOf(event);
      const span = s === undefined ? undefined : timer.startSpan(s);
      const t0 = performance.now();
      let result: unknown;
      try {
        // With a span, the handler runs inside it: the RPC calls it makes become its children.
        result = span === undefined ? handler.call(this, event) : context.with(trace.setSpan(context.active(), span), handler, this, event);
      } catch (err) {
        timer.end(s, t0, span, err);
        throw err;
      }
      if (s === undefined || !isThenable(result)) {
        timer.end(s, t0, span, undefined);
        return result;
      }
      return result.then((v) => {
        timer.end(s, t0, span, undefined);
        return v;
      }, (err: unknown) => {
        timer.end(s, t0, span, err);
        throw err;
      });
    };
    wrapped[ORIGINAL] = handler;
    return wrapped;
  }

  private seriesOf(event: unknown): HandlerSeries | undefined {
    try {
      const e = (event ?? {}) as EventLike;
      return this.timing.collector().seriesFor(typeOf(e), accountOf(e._client));
    } catch (err) {
      reportInternalError(COMPONENT, err);
      return undefined;
    }
  }

  private startSpan(s: HandlerSeries): Span | undefined {
    try {
      return this.timing.tracer()?.startSpan(SPAN_UPDATE_HANDLER, { kind: SpanKind.CONSUMER, attributes: s.spanAttributes });
    } catch (err) {
      reportInternalError(COMPONENT, err);
      return undefined;
    }
  }

  private end(s: HandlerSeries | undefined, t0: number, span: Span | undefined, err: unknown): void {
    if (s === undefined) return;
    try {
      s.series.record((performance.now() - t0) / 1000);
      if (span) {
        if (err !== undefined && (err as { constructor?: { name?: string } } | null)?.constructor?.name !== STOP_PROPAGATION) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
    } catch (e) {
      reportInternalError(COMPONENT, e);
    }
  }
}

/** Puts the app's own handler functions back into `client._eventBuilders` (before GramJS lists or removes them). @internal */
export function restoreHandlers(client: object): void {
  const entries = (client as { _eventBuilders?: unknown })._eventBuilders;
  if (!Array.isArray(entries)) return;
  for (const entry of entries as EventEntry[]) {
    const original = Array.isArray(entry) ? entry[1]?.[ORIGINAL] : undefined;
    if (original !== undefined) entry[1] = original;
  }
}

function typeOf(e: EventLike): string {
  // A built event (NewMessage...) keeps the update it came from; a Raw handler gets the update itself.
  const name = e.originalUpdate?.className ?? e.className ?? e.constructor?.name;
  return typeof name === 'string' ? name : UPDATE_TYPE_VALUE_OTHER;
}

function isThenable(v: unknown): v is Promise<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}
