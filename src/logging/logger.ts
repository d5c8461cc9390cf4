import pino, { type Logger, type LoggerOptions } from 'pino';
import { trace, isSpanContextValid } from '@opentelemetry/api';
import { redactDeep, redactString, secretKeySet } from './redaction';
import { isoUtc } from '../internal/iso-utc';

// The formatter below has already turned an Error into a redacted plain object with its `type`;
// pino's default err serializer would re-read that object and report `type: "Object"`.
function serializeErr(value: unknown): unknown {
  return value instanceof Error ? redactDeep(value) : value;
}

function isError(value: unknown): value is Error {
  return value instanceof Error;
}

/** The Error pino takes its message from when a call passes none: `log.error(err)` or `log.error({ err })`. */
function messageSource(first: unknown): Error | undefined {
  if (isError(first)) return first;
  if (first !== null && typeof first === 'object') {
    const obj = first as { err?: unknown; msg?: unknown };
    if (obj.msg === undefined && isError(obj.err)) return obj.err;
  }
  return undefined;
}

/** pino's stdTimeFunctions.isoTime, without Date#toISOString (see iso-utc.ts). */
function isoTime(): string {
  return `,"time":"${isoUtc(Date.now())}"`;
}

export type { Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerConfig {
  /** pino level. @default "info" */
  level?: LoggerOptions['level'];
  /** Extra key paths to censor (their last segment is matched at any depth). */
  redactPaths?: string[];
  /** Fields on every line (service name, instance). */
  base?: Record<string, unknown>;
  /** Where lines go. @default stdout */
  destination?: pino.DestinationStream;
  /**
   * Sees every line's (redacted) message and level name: the error tracker's breadcrumb trail.
   * It must be cheap and must not throw (it runs inside the log call).
   */
  onLine?: (level: string, message: string) => void;
}

/**
 * A pino JSON logger that censors secrets at any depth (keys and values, also inside the message)
 * and adds trace_id/span_id of the active span, so a log line links to its trace.
 */
export function createLogger(config: LoggerConfig = {}): Logger {
  const extraKeys = secretKeySet(config.redactPaths ?? []);
  const { onLine } = config;
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: config.base ?? {},
    timestamp: isoTime,
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const ctx = span.spanContext();
      return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: `0${ctx.traceFlags.toString(16)}` } : {};
    },
    serializers: { err: serializeErr },
    // One redaction for everything a line carries: the logged object, the base fields and (below)
    // a child's bindings. pino's own path-based `redact` would be a second engine that knows paths only.
    formatters: {
      log: (obj) => redactDeep(obj, extraKeys) as Record<string, unknown>,
      bindings: (bindings) => redactDeep(bindings, extraKeys) as Record<string, unknown>,
    },
    hooks: {
      // The message string is not seen by formatters.log: scrub it here. When a call passes an
      // Error and no message, pino fills `msg` from err.message after this hook, unredacted:
      // pass the redacted message explicitly instead.
      logMethod(args, method, level) {
        for (let i = 0; i < args.length; i++) {
          const arg: unknown = args[i];
          if (typeof arg === 'string') args[i] = redactString(arg);
          else if (i > 0 && arg !== null && typeof arg === 'object') args[i] = redactDeep(arg, extraKeys);
        }
        const source = args.length === 1 ? messageSource(args[0]) : undefined;
        if (source) (args as unknown[]).push(redactString(source.message));
        if (onLine) {
          const message = (args as unknown[]).find((a) => typeof a === 'string');
          if (typeof message === 'string') onLine(this.levels.labels[level] ?? String(level), message);
        }
        return method.apply(this, args as Parameters<typeof method>);
      },
    },
  };
  const logger = config.destination ? pino(options, config.destination) : pino(options);
  // pino writes a child's bindings without the bindings formatter: redact them on the way in.
  // Children are created from their parent's prototype, so theirs go through this too.
  type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  const child = logger.child as unknown as ChildFn;
  const { setBindings } = logger;
  logger.child = function redactedChild(this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    return child.call(this, redactDeep(bindings, extraKeys) as pino.Bindings, options);
  } as unknown as Logger['child'];
  logger.setBindings = function redactedSetBindings(this: Logger, bindings: pino.Bindings) {
    setBindings.call(this, redactDeep(bindings, extraKeys) as pino.Bindings);
  };
  return logger;
}
