import pino, { type Logger, type LoggerOptions } from 'pino';
import { trace, isSpanContextValid } from '@opentelemetry/api';
import { redactDeep, redactString, secretKeySet } from './redaction';

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
}

/**
 * A pino JSON logger that censors secrets at any depth (keys and values, also inside the message)
 * and adds trace_id/span_id of the active span, so a log line links to its trace.
 */
export function createLogger(config: LoggerConfig = {}): Logger {
  const extraKeys = secretKeySet(config.redactPaths ?? []);
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: config.base ?? {},
    timestamp: pino.stdTimeFunctions.isoTime,
    // Path-based redaction for the common top-level shapes (fast path); the formatter below catches the rest.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', ...(config.redactPaths ?? [])], censor: '[REDACTED]' },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const ctx = span.spanContext();
      return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: `0${ctx.traceFlags.toString(16)}` } : {};
    },
    formatters: {
      log: (obj) => redactDeep(obj, extraKeys) as Record<string, unknown>,
    },
    hooks: {
      // The message string is not seen by formatters.log: scrub it here.
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === 'string') args[i] = redactString(args[i] as string);
        }
        return method.apply(this, args as Parameters<typeof method>);
      },
    },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
