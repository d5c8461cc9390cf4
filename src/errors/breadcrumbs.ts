import { redactString } from '../logging/redaction';

/** One step of what happened just before an error: a log line or a span that started. */
export interface Breadcrumb {
  at: Date;
  /** `log` (a log line, with its level) or `span` (a span that started). */
  category: 'log' | 'span';
  /** The log level, for log lines. */
  level?: string;
  /** The log message or the span name, redacted, at most 200 characters. */
  message: string;
}

interface Entry {
  at: number;
  category: Breadcrumb['category'];
  level: string | undefined;
  raw: string;
  /** Redacted once, the first time a sample takes it; then shared by every sample. */
  crumb: Breadcrumb | undefined;
}

const MAX_MESSAGE = 200;
/** Default length of the trail. */
export const DEFAULT_BREADCRUMBS = 20;

/**
 * A bounded ring of recent log lines and span names. Adding is a slot write (it runs for every
 * span start and log line: no redaction, no allocation beyond the entry); the text is redacted
 * lazily when an error sample takes a snapshot, and each redacted crumb is shared between samples.
 *
 * @internal
 */
export class BreadcrumbTrail {
  private readonly ring: Array<Entry | undefined>;
  private next = 0;

  constructor(readonly capacity = DEFAULT_BREADCRUMBS, private readonly now: () => number = Date.now) {
    this.ring = new Array<Entry | undefined>(Math.max(0, capacity));
  }

  /** Records one step. */
  add(category: Breadcrumb['category'], message: string, level?: string): void {
    if (this.ring.length === 0) return;
    this.ring[this.next] = { at: this.now(), category, level, raw: message.length > 4 * MAX_MESSAGE ? message.slice(0, 4 * MAX_MESSAGE) : message, crumb: undefined };
    this.next = (this.next + 1) % this.ring.length;
  }

  /** The trail, oldest first, redacted. */
  snapshot(): Breadcrumb[] {
    const out: Breadcrumb[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const e = this.ring[(this.next + i) % this.ring.length];
      if (e) out.push((e.crumb ??= crumbOf(e)));
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
  }
}

function crumbOf(e: Entry): Breadcrumb {
  // Redact the whole text, then cut: a secret cut in half would no longer match its pattern.
  const clean = redactString(e.raw);
  const crumb: Breadcrumb = { at: new Date(e.at), category: e.category, message: clean.length > MAX_MESSAGE ? clean.slice(0, MAX_MESSAGE) : clean };
  if (e.level !== undefined) crumb.level = e.level;
  e.raw = '';
  return Object.freeze(crumb);
}
