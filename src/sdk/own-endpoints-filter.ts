import type { Histogram, Meter } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { isOwnRequestActive } from '../internal/own-requests';

/**
 * A histogram that records nothing for a request pulseguard's own handlers served. `record` is
 * the whole Histogram interface, so a plain object does: no Proxy trap nor closure per request.
 */
function skippingOwnRequests(histogram: Histogram): Histogram {
  return {
    record(value, attributes, ctx): void {
      if (!isOwnRequestActive()) histogram.record(value, attributes, ctx);
    },
  };
}

/** A meter whose `http.server.request.duration` skips pulseguard's own requests. */
function filteringMeter(meter: Meter): Meter {
  return new Proxy(meter, {
    get(target, key, receiver) {
      if (key !== 'createHistogram') return Reflect.get(target, key, receiver) as unknown;
      return (...args: Parameters<Meter['createHistogram']>): Histogram => {
        const histogram = target.createHistogram(...args);
        return args[0] === METRIC_HTTP_SERVER_REQUEST_DURATION ? skippingOwnRequests(histogram) : histogram;
      };
    },
  });
}

/**
 * instrumentation-http whose server duration leaves out /metrics scrapes and health probes that
 * pulseguard's handlers serve on the app's own server (requests to its standalone servers are
 * ignored outright, through ignoreIncomingRequestHook). The histogram is recorded in the
 * request's context, which carries the mark (src/internal/own-requests.ts).
 */
export class OwnEndpointsFilteredHttpInstrumentation extends HttpInstrumentation {
  protected override get meter(): Meter {
    return filteringMeter(super.meter);
  }
}
