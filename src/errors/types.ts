import type { ERROR_CLASSES } from './semconv';
import type { Breadcrumb } from './breadcrumbs';

/** The closed set of error classes (see docs/errors.md, "Error codes"). */
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Options of one {@link ErrorTracker.track} call. */
export interface TrackOptions {
  /** Group key chosen by the caller; when set it wins over the computed fingerprint. */
  fingerprint?: string;
  /** Extra data kept with the sample (redacted before it is stored). */
  context?: Record<string, unknown>;
}

/** One stored occurrence of an error; every string in it is redacted. */
export interface ErrorSample {
  /** When it was tracked. */
  at: Date;
  /** The original (redacted) message. */
  message: string;
  /** The (redacted) stack, when the value had one. */
  stack?: string;
  /** The `code` of the error (Node, pg SQLSTATE, GramJS), when present. */
  code?: string;
  /** The caller's context, redacted. */
  context?: Record<string, unknown>;
  /** The app's version when it happened (`service.version`). */
  release?: string;
  /** `service.environment`, when set. */
  environment?: string;
  /** What happened just before, oldest first: recent log lines and span names (redacted, bounded). */
  breadcrumbs?: Breadcrumb[];
}

/**
 * What `beforeSend` sees and may change: one occurrence (already redacted) with its group's
 * identity. Returning it (changed or not) keeps it; returning null drops it.
 */
export interface ErrorEvent extends ErrorSample {
  fingerprint: string;
  errorClass: ErrorClass;
  type: string;
  /** True when this occurrence created its group (first seen since start). */
  newGroup: boolean;
}

/** What `beforeSend` gets besides the event. */
export interface ErrorEventHint {
  /** The value that was thrown, unredacted: read it, never copy its text into the event. */
  originalError: unknown;
}

/**
 * The app's last word on an error event before it is stored or leaves the process (sample, span
 * event, new-group alert). Return the event (changed or not) to keep it, null to drop it;
 * undefined or a throw keeps the event as it was (a throw is counted in pulseguard.internal.errors).
 */
export type BeforeSendError = (event: ErrorEvent, hint: ErrorEventHint) => ErrorEvent | null | undefined;

/** What {@link ErrorTracker.track} returns: the group the error joined. */
export interface ErrorGroupSummary {
  /** The group key (computed, or the caller's explicit fingerprint). */
  fingerprint: string;
  /** Class from the classification table. */
  errorClass: ErrorClass;
  /** Error type (constructor name / `name`), or `typeof` for non-Error values. */
  type: string;
  /** The normalised message (numbers, ids, quoted strings... replaced by placeholders), redacted. */
  message: string;
  /** The top in-app stack frame (`function (file)`), when one was found. */
  frame?: string;
  /** Occurrences since the group was created. */
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** A group with its samples: the first occurrence, then the latest ones (`errors.samplesPerGroup` in all, at least 2). */
export interface ErrorGroup extends ErrorGroupSummary {
  samples: ErrorSample[];
}

/** Query of {@link ErrorTracker.groups}. */
export interface GroupsQuery {
  /** Maximum groups returned. @default 50 */
  limit?: number;
  /** Only groups of this class. */
  class?: ErrorClass;
}

/** Tracker bookkeeping. */
export interface ErrorTrackerStats {
  /** Groups currently held. */
  groups: number;
  /** Groups evicted (least recently seen first) because `maxGroups` was reached. */
  evictions: number;
  /** Errors tracked since creation (or the last reset). */
  tracked: number;
}

/** Options of {@link createErrorTracker}. */
export interface ErrorTrackerOptions {
  /** Distinct groups kept; the least recently seen is evicted beyond it. @default 1000 */
  maxGroups?: number;
  /** Samples kept per group: the first occurrence and the latest ones (at least 2). @default 5 */
  samplesPerGroup?: number;
  /** The app's version, stamped on every sample. */
  release?: string;
  /** The deployment environment, stamped on every sample. */
  environment?: string;
  /** Length of the breadcrumb trail each sample carries (0 turns it off). @default 20 */
  maxBreadcrumbs?: number;
  /** Scrub or drop an event before it is stored or leaves the process (see {@link BeforeSendError}). */
  beforeSend?: BeforeSendError;
  /** Called (contained) for an event that created a new group; start() sends the new-group alert from here. */
  onNewGroup?: (event: ErrorEvent) => void;
  /**
   * The app's own classification rows, tried before the built-in table (the spec's
   * `errorClassifier.updatePatterns`). Classes stay within the closed set. @default []
   */
  rules?: readonly ClassificationRuleInput[];
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * Groups errors by fingerprint, classifies them, and reports each one as an `exception` span event
 * and as `pulseguard.errors.tracked{error.class}`. It never throws, whatever it is given.
 */
export interface ErrorTracker {
  /** Tracks one error (any thrown value). Returns its group, or undefined if the tracker itself failed. */
  track(err: unknown, options?: TrackOptions): ErrorGroupSummary | undefined;
  /** Groups sorted by count (highest first). */
  groups(query?: GroupsQuery): ErrorGroup[];
  /** One group by fingerprint. */
  get(fingerprint: string): ErrorGroup | undefined;
  /** Bookkeeping counters. */
  stats(): ErrorTrackerStats;
  /** Adds a step to the breadcrumb trail the next samples carry (redacted when a sample takes it). */
  addBreadcrumb(category: Breadcrumb['category'], message: string, level?: string): void;
  /** Top, new and rising groups (see docs/errors.md, "Insights"). */
  generateInsights(options?: InsightsOptions): ErrorInsights;
  /** Forgets every group. */
  reset(): void;
}

/** Where a crash came from, as Node names it. */
export type CrashOrigin = 'uncaughtException' | 'unhandledRejection';

/** Crash statistics from {@link CrashReporter.aggregate}. */
export interface CrashStatistics {
  /** Crashes captured. */
  total: number;
  /** Crashes by error fingerprint. */
  byFingerprint: Record<string, number>;
  /** The last incident, if any. */
  lastIncident?: { id: string; at: Date; origin: CrashOrigin; fingerprint: string };
}

/** Node's `--unhandled-rejections` modes. */
export type UnhandledRejectionsMode = 'throw' | 'strict' | 'warn' | 'none' | 'warn-with-error-code';

/** What is known of a crash when it is reported: every string is redacted. */
export interface CrashIncident {
  /** The incident id (`inc_...`), also in the fatal log line and on stderr. */
  id: string;
  origin: CrashOrigin;
  at: Date;
  /** Class, fingerprint, type and redacted message of the error that crashed the process. */
  errorClass: ErrorClass | undefined;
  fingerprint: string;
  type: string;
  message: string;
}

/** Options of {@link createCrashReporter}. */
export interface CrashReporterOptions {
  /** Tracker the crash is recorded in. */
  tracker: ErrorTracker;
  /** Fatal log lines go here (a pino logger, or anything with `fatal`/`warn` and `flush`). */
  logger: CrashLogger;
  /** Flushes telemetry; called with the deadline in ms and raced against it. */
  flush: (deadlineMs: number) => Promise<void>;
  /** Deadline for `flush` and `notify` together (they run side by side). @default 5000 */
  flushTimeoutMs?: number;
  /**
   * Sends the critical crash alert (start() wires it to the alert dispatcher's channels) and
   * resolves true once it was delivered. Raced against the same deadline as `flush`.
   */
  notify?: (incident: CrashIncident, deadlineMs: number) => Promise<boolean>;
  /**
   * Called when the crash alert was not confirmed delivered before the deadline, just before the
   * exit. The hook for an alert journal that delivers it at the next start; a throw is contained.
   */
  onUndelivered?: (incident: CrashIncident) => void;
  /**
   * Runs first on a crash, before the flush: start() ends the spans still open (the request that
   * crashed) so the flush exports them. A throw is contained.
   */
  beforeFlush?: (incident: CrashIncident) => void;
  /** Mode override; by default read from `--unhandled-rejections` in execArgv / NODE_OPTIONS. */
  unhandledRejections?: UnhandledRejectionsMode;
  /** How the process ends, for tests. @default process.exit */
  exit?: (code: number) => void;
  /** Where Node's crash text goes, for tests. @default process.stderr.write */
  writeStderr?: (text: string) => void;
}

/** The subset of a pino logger the crash reporter uses. */
export interface CrashLogger {
  fatal(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  flush?(): void;
}

/** Captures process crashes with an incident id (see docs/errors.md, "Crash reporter"). */
export interface CrashReporter {
  /** Installs the uncaughtException/unhandledRejection handlers (idempotent). */
  install(): void;
  /** Removes them (idempotent). */
  uninstall(): void;
  /** True while the handlers are installed. */
  readonly installed: boolean;
  /** Records an incident (tracked, logged at error level) without ending the process; returns its id. */
  capture(err: unknown, origin?: CrashOrigin): string;
  /** Crash statistics since creation. */
  aggregate(): CrashStatistics;
}

/**
 * One row of the classification table. A row matches when ANY of its fields matches; rows are
 * tried in order and the first match wins, so specific rows (a pg statement timeout) sit before
 * generic ones (any pg error).
 */
export interface ClassificationRule {
  class: ErrorClass;
  /** Why this row exists (shown in docs/errors.md). */
  description?: string;
  /** Exact `code` values (Node errno codes, pg SQLSTATE codes, undici codes). */
  codes?: ReadonlySet<string>;
  /** pg SQLSTATE class prefixes (first two characters), only for pg-shaped errors. */
  sqlstateClasses?: ReadonlySet<string>;
  /** Any SQLSTATE on a pg-shaped error. */
  anySqlstate?: boolean;
  /** Error type names (`name` / constructor). */
  types?: ReadonlySet<string>;
  /** GramJS raw `errorMessage` patterns. */
  errorMessages?: RegExp;
  /** HTTP (or GramJS HTTP-like) status codes. */
  statuses?: ReadonlySet<number>;
  /** Message patterns, a last resort for libraries that set no code. */
  messages?: RegExp;
}

/** An app-supplied classification row, as written in code or configuration (arrays, not Sets). */
export interface ClassificationRuleInput {
  class: ErrorClass;
  description?: string;
  codes?: readonly string[];
  sqlstateClasses?: readonly string[];
  types?: readonly string[];
  errorMessages?: RegExp;
  statuses?: readonly number[];
  messages?: RegExp;
}

/** Options of {@link ErrorTracker.generateInsights}. */
export interface InsightsOptions {
  /** Groups per list. @default 10 */
  limit?: number;
  /** A group first seen within this many ms is "new". @default 3600000 (one hour) */
  newWithinMs?: number;
}

/** A group that is rising: errors in the last half hour against the half hour before. */
export interface RisingGroup extends ErrorGroupSummary {
  lastHalfHour: number;
  previousHalfHour: number;
}

/** What {@link ErrorTracker.generateInsights} returns; every message is redacted. */
export interface ErrorInsights {
  generatedAt: Date;
  /** Groups held, and errors tracked since start. */
  totals: { groups: number; tracked: number };
  /** The most frequent groups since start. */
  topGroups: ErrorGroupSummary[];
  /** Groups first seen within `newWithinMs` (newest first). */
  newGroups: ErrorGroupSummary[];
  /** Groups with at least 5 errors in the last half hour and at least twice the half hour before. */
  risingGroups: RisingGroup[];
}
