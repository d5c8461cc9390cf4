import { context, trace, SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_EXCEPTION_MESSAGE, ATTR_EXCEPTION_TYPE, EVENT_EXCEPTION } from '@opentelemetry/semantic-conventions';
import { errorFacts } from '../errors/error-facts';

/**
 * Marks a span failed. With an error tracker, the error is tracked with the span active, so the
 * tracker's redacted `exception` event lands on it; without one, a redacted event is added here.
 * Never span.recordException(): it copies the raw message, which may hold a secret.
 *
 * @internal
 */
export function failSpan(span: Span, err: unknown, track: ((err: unknown) => void) | undefined): void {
  const facts = errorFacts(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: facts.message });
  if (track) context.with(trace.setSpan(context.active(), span), () => track(err));
  else span.addEvent(EVENT_EXCEPTION, { [ATTR_EXCEPTION_TYPE]: facts.type, [ATTR_EXCEPTION_MESSAGE]: facts.message });
}
