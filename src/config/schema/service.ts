import { z } from 'zod/v3';
import { dynamicDefault, fn, regExp, removed, section } from './common';
import { ERROR_CLASSES } from '../../errors/semconv';
import type { BeforeSendError } from '../../errors/types';

export const serviceSchema = () => z
  .object({
    /** service.name on every metric and span. Required. */
    name: z.string().min(1, 'service.name is required (e.g. "chat-gateway")'),
    /** service.version. @default process.env.APP_VERSION or npm_package_version or the version in the app's package.json or "0.0.0" */
    version: dynamicDefault(z.string().min(1), 'serviceVersion'),
    /** service.instance.id. @default "<hostname>-<pid>" */
    instanceId: dynamicDefault(z.string().min(1), 'serviceInstanceId'),
    /** deployment.environment.name, when set. */
    environment: z.string().min(1).optional(),
  })
  .strict();

export const loggingSchema = () => section({
  /** pino level. @default "info" */
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Extra keys to censor in log lines, on top of the built-in secret list: each entry's last segment, at any depth (`customer.iban` censors every `iban`). @default [] */
  redactPaths: z.array(z.string().min(1)).default([]),
});

/** One app-supplied error classification row (see docs/errors.md, "Error codes"). */
export const errorRuleSchema = () => z
  .object({
    /** The class an error matching this row gets. */
    class: z.enum(ERROR_CLASSES),
    /** Why the row exists. */
    description: z.string().optional(),
    /** Exact `code` values (Node errno codes, SQLSTATEs, library codes). */
    codes: z.array(z.string().min(1)).optional(),
    /** pg SQLSTATE classes (two characters). */
    sqlstateClasses: z.array(z.string().length(2)).optional(),
    /** Error type names (`name` or constructor). */
    types: z.array(z.string().min(1)).optional(),
    /** GramJS raw `errorMessage` pattern. */
    errorMessages: regExp().optional(),
    /** HTTP (or GramJS HTTP-like) status codes. */
    statuses: z.array(z.number().int()).optional(),
    /** Message pattern. */
    messages: regExp().optional(),
  })
  .strict();

export const errorsSchema = () => section({
  /** Distinct error groups kept (LRU). @default 1000 */
  maxGroups: z.number().int().positive().default(1000),
  /** Samples kept per group: the first occurrence and the latest ones (at least 2 are kept). @default 5 */
  samplesPerGroup: z.number().int().positive().max(50).default(5),
  /** Recent log lines and span names each sample carries (0 turns breadcrumbs off). @default 20 */
  maxBreadcrumbs: z.number().int().nonnegative().max(100).default(20),
  /**
   * Scrub or drop an error event (already redacted) before it is stored or leaves the process:
   * return the event, changed or not, or null to drop it. A throw keeps the event and is counted.
   */
  beforeSend: fn<BeforeSendError>('expected a function (event, hint) => event | null').optional(),
  /** An alert when an error group is seen for the first time since start (Sentry's "new issue"). */
  newGroupAlerts: section({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Severity label of the alert (critical goes to the high level of the alerting matrix). @default "warning" */
    severity: z.enum(['critical', 'warning', 'info']).default('warning'),
    /** An alert is resolved this long after it fired (how many are sent is the rate-limit policy `errors.newGroupAlerts`). @default 3600000 */
    resolveAfterMs: z.number().int().min(1000).default(60 * 60_000),
    /** Removed: how many new-group alerts are sent is decided by the one limiter. */
    maxPerWindow: removed("set rateLimits.policies['errors.newGroupAlerts'].points instead"),
    /** Removed: the window is the rate-limit policy's, when an alert resolves is `resolveAfterMs`. */
    windowMs: removed("set rateLimits.policies['errors.newGroupAlerts'].durationMs (and errors.newGroupAlerts.resolveAfterMs) instead"),
  }),
  /** Capture uncaughtException/unhandledRejection with an incident id, flush, then behave as Node would. @default false */
  captureCrashes: z.boolean().default(false),
  /** Classification rows tried before the built-in table; the first matching row wins. @default [] */
  rules: z.array(errorRuleSchema()).default([]),
});

export const shutdownSchema = () => section({
  /** Install SIGTERM/SIGINT handlers that shut pulseguard down gracefully. @default false */
  handleSignals: z.boolean().default(false),
  /** Time given to in-flight work to drain after readiness flips to 503. @default 10000 */
  drainMs: z.number().int().nonnegative().default(10_000),
  /** Deadline for flushing exporters and notifications. @default 5000 */
  flushTimeoutMs: z.number().int().positive().default(5_000),
});
