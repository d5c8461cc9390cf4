import { z } from 'zod/v3';
import { durationMs, dynamicDefault, fn, section } from './common';
import type { BeforeSendAlert } from '../../alerting/types';

export const CHANNEL_NAMES = ['log', 'slack', 'email', 'alertmanager', 'webhook'] as const;
const channelName = () => z.enum(CHANNEL_NAMES);

const severityRoute = (channels: (typeof CHANNEL_NAMES)[number][], escalation: boolean, repeatMs: number, maxRepeats: number) =>
  section({
    /** Channels notified at this level; those not configured are skipped, and a level left with none goes to log. */
    channels: z.array(channelName()).default(channels),
    /** Escalate to the next level's channels after maxRepeats while still firing. */
    escalation: z.boolean().default(escalation),
    /** Repeat interval while firing, ms. */
    repeatIntervalMs: durationMs(1000).default(repeatMs),
    /** Repeats before escalation / silence. */
    maxRepeats: z.number().int().nonnegative().default(maxRepeats),
  });

/** A silence's label matcher; `isEqual` defaults to true (a leftover field never inverts a matcher). */
export const matcherSchema = () => z.object({ name: z.string().min(1), value: z.string(), isRegex: z.boolean().default(false), isEqual: z.boolean().default(true) }).strict();

/** A silence added at run time (`notifications.silence(...)`): validated like the config's. */
export const runtimeSilenceSchema = () => z.object({
  matchers: z.array(matcherSchema()).min(1),
  endsAt: z.date().refine((d) => !Number.isNaN(d.getTime()), { message: 'invalid date' }),
  comment: z.string().optional(),
}).strict();

export const alertingSchema = () => section({
  /** The specification's alerting matrix (high = critical, medium = warning, low = info). */
  matrix: section({
    // webhook is in every level: a generic receiver (Alertmanager's webhook format) wants every alert.
    high: severityRoute(['slack', 'email', 'webhook'], true, 5 * 60_000, 3),
    medium: severityRoute(['slack', 'webhook'], false, 15 * 60_000, 2),
    low: severityRoute(['log', 'webhook'], false, 60 * 60_000, 1),
  }),
  channels: section({
    log: section({ enabled: z.boolean().default(true) }),
    /** Slack incoming webhook; the URL is a secret and never logged. */
    slack: z.object({ webhookUrl: z.string().url(), channel: z.string().optional() }).strict().optional(),
    email: z
      .object({
        host: z.string().min(1), port: z.number().int().min(1).max(65535).default(587), secure: z.boolean().default(false),
        user: z.string().optional(), password: z.string().optional(),
        from: z.string().min(3), to: z.array(z.string().min(3)).min(1),
      })
      .strict()
      .optional(),
    alertmanager: z.object({ url: z.string().url(), resendIntervalMs: durationMs(1000).default(60_000) }).strict().optional(),
    webhook: z.object({ url: z.string().url(), headers: z.record(z.string(), z.string()).default({}) }).strict().optional(),
  }),
  /** Labels alerts are grouped by. @default ["alertname"] */
  groupBy: z.array(z.string().min(1)).default(['alertname']),
  /** @default 30000 */ groupWaitMs: durationMs().default(30_000),
  /** @default 300000 */ groupIntervalMs: durationMs().default(5 * 60_000),
  /** Where a high alert goes when still firing after its repeats (the level above high). @default ["webhook", "alertmanager"] */
  escalationChannels: z.array(channelName()).default(['webhook', 'alertmanager']),
  /** Delivery: a failing channel is retried with backoff and jitter from a bounded queue per channel. */
  delivery: section({
    /** @default 1000 */ initialBackoffMs: durationMs(1).default(1000),
    /** @default 300000 */ maxBackoffMs: durationMs(1).default(5 * 60_000),
    /** @default 0.2 */ jitter: z.number().min(0).max(1).default(0.2),
    /** A notification not delivered after this long is given up (counted as failed). @default 86400000 */
    maxAgeMs: durationMs(1000).default(24 * 60 * 60_000),
    /** Per-attempt timeout. @default 10000 */ timeoutMs: durationMs(100).default(10_000),
    /** Bounded queue per channel (one entry per alert group). @default 1000 */ queueSize: z.number().int().positive().default(1000),
    /** Shutdown waits this long for pending notifications. @default 5000 */ flushTimeoutMs: durationMs().default(5000),
  }),
  /**
   * Scrub or drop an alert (labels and annotations already redacted) before any channel sees it:
   * return the alert, changed or not, or null to drop it. A throw keeps the alert and is counted.
   */
  beforeSend: fn<BeforeSendAlert>('expected a function (alert) => alert | null').optional(),
  /**
   * The alert journal: alert states, `for` timers, silences added at run time, undelivered
   * notifications and known error groups, kept across a restart (Alertmanager keeps its
   * notification log and silences under --storage.path the same way). A file in `dir`, or Redis
   * when `rateLimits.store` is "redis".
   */
  journal: section({
    /** @default true */
    enabled: z.boolean().default(true),
    /**
     * Directory of the journal file, relative to the working directory (Alertmanager's
     * `data/`). @default PULSEGUARD_JOURNAL_DIR or ".pulseguard"
     */
    dir: dynamicDefault(z.string().min(1), 'journalDir'),
    /**
     * The journal's name (file `<dir>/<name>.journal.json`, Redis key `<rateLimits.keyPrefix>:journal:<name>`);
     * when unset, `service.name` (other characters than these replaced by `_`). Replicas sharing a
     * directory or a Redis each need their own.
     */
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').optional(),
    /** Upper bound of the journal's size; past it the oldest entries are dropped, each logged. @default 1048576 (1 MiB) */
    maxBytes: z.number().int().min(16_384).default(1_048_576),
    /** Changes are written at most this often (and at least every 30 s while running). @default 1000 */
    writeIntervalMs: durationMs(10, 30_000).default(1000),
  }),
  /**
   * Fleet de-duplication (opt-in): replicas that each run the evaluator agree through the rate
   * limiter's Redis (`rateLimits.store: "redis"`) on who sends, so the shared channels (Slack,
   * e-mail, webhook) get one notification per state change, not one per replica. The log channel
   * stays per replica; Alertmanager de-duplicates by itself. See docs/fleet.md.
   */
  fleet: section({
    /** @default false */
    enabled: z.boolean().default(false),
    /** Prefix of the Redis keys (followed by the service name and the group). @default "pulseguard:fleet" */
    keyPrefix: z.string().min(1).default('pulseguard:fleet'),
    /** A group's record is kept this long after its last notification. @default 86400000 */
    stateTtlMs: durationMs(60_000).default(24 * 60 * 60_000),
  }),
  /** Silences: label matchers with an expiry (ISO 8601). @default [] */
  silences: z.array(z.object({ matchers: z.array(matcherSchema()).min(1), endsAt: z.string().datetime(), comment: z.string().optional() }).strict()).default([]),
});

export const recoverySchema = () => section({
  /** Run recovery procedures when their rule fires. @default true */
  enabled: z.boolean().default(true),
  /** Cap of runs per procedure and target per hour. @default 6 */
  maxRunsPerHour: z.number().int().positive().default(6),
  /** A procedure that takes longer is reported as timed out. @default 60000 */
  timeoutMs: durationMs(100).default(60_000),
  /** Reconnect backoff (spec: from 1 s over 5 tries). */
  backoff: section({
    initialMs: durationMs().default(1000),
    maxRetries: z.number().int().positive().default(5),
    maxMs: durationMs().default(30_000),
    jitter: z.number().min(0).max(1).default(0.2),
  }),
});
