import type { Logger } from '../../logging/logger';
import { reportInternalError } from '../../internal/internal-errors';
import { isoUtc } from '../../internal/iso-utc';
import type { JournalStore } from './journal-store';

const COMPONENT = 'alerting.journal';
/** Even without a change the journal is rewritten this often: its time tells the next start how long the outage was. */
const HEARTBEAT_MS = 30_000;
/** Drops already logged are not logged again at every write while the journal stays full. */
const LOGGED_DROPS_CAP = 1000;

/** One part of the journal, owned by the component whose state it is. */
export interface JournalSection {
  /** The component's state now, JSON-safe. */
  snapshot(): unknown;
  /**
   * Frees at least `bytes` (when it can) by dropping the oldest entries of `state`: returns the
   * smaller state and one line per drop naming the alert, or undefined when nothing is left to drop.
   */
  trim?(state: unknown, bytes: number): { state: unknown; dropped: string[] } | undefined;
}

/** The journal as written: its version, when it was written, and each section. */
export interface JournalDocument {
  version: 1;
  /** Epoch ms of the write: the next start measures the outage from here. */
  savedAt: number;
  sections: Record<string, unknown>;
}

/** Options of {@link AlertJournal}. */
export interface AlertJournalOptions {
  store: JournalStore;
  /** Upper bound of the written text in bytes. */
  maxBytes: number;
  writeIntervalMs: number;
  logger: Logger;
  now?: () => number;
}

function parseDocument(text: string): JournalDocument {
  const doc = JSON.parse(text) as Partial<JournalDocument>;
  if (doc.version !== 1 || typeof doc.savedAt !== 'number' || typeof doc.sections !== 'object' || doc.sections === null) {
    throw new Error('not a pulseguard alert journal (version 1)');
  }
  return doc as JournalDocument;
}

/**
 * The alert journal: what the alerting side must not forget across a restart (alert states and
 * `for` timers, dispatcher groups, undelivered notifications, run-time silences, known error
 * groups). Each owner registers a section; the journal writes them all as one document, at most
 * every `writeIntervalMs` when something changed, replaced atomically and kept under `maxBytes`
 * (the oldest entries go first, each drop logged with the alert's name). At start it is read once
 * and each owner restores its own section. Faults are contained: a journal that cannot be read
 * or written is logged once and counted, and alerting goes on without it.
 */
export class AlertJournal {
  private readonly sections = new Map<string, { section: JournalSection; trimOrder: number }>();
  private restored: JournalDocument | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private lastBody: string | undefined;
  private lastWriteAt = -Infinity;
  private failing = false;
  private readonly loggedDrops = new Set<string>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly opts: AlertJournalOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Where it is kept (file path or Redis key). */
  get where(): string {
    return this.opts.store.where;
  }

  /** Reads the journal left by the previous run. Never throws: an unreadable journal is logged and ignored. */
  async load(): Promise<void> {
    try {
      const text = await this.opts.store.read();
      if (text === undefined) return;
      this.restored = parseDocument(text);
      this.opts.logger.info({ journal: this.where, savedAt: isoUtc(this.restored.savedAt) }, 'alert journal restored');
    } catch (err) {
      // Counted and logged once, with the path: alerting goes on without the old state.
      reportInternalError(COMPONENT, new Error(`alert journal ${this.where} unreadable, starting without it: ${(err as Error).message}`));
    }
  }

  /** When the previous run last wrote the journal (epoch ms), if there is one. */
  get savedAt(): number | undefined {
    return this.restored?.savedAt;
  }

  /** The previous run's section `name` (unvalidated: its owner checks it). */
  restoredSection(name: string): unknown {
    return this.restored?.sections[name];
  }

  /** Adds a section; when the journal is too big, sections with a lower `trimOrder` lose entries first. */
  register(name: string, section: JournalSection, trimOrder: number): void {
    this.sections.set(name, { section, trimOrder });
  }

  /** Starts writing changes (timer unref'ed). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.writeIfChanged(), this.opts.writeIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes the final state (awaited). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    await this.writing;
    await this.write(true);
  }

  /**
   * Writes the current state before the caller returns (a crash exit): synchronously for a file,
   * sent without waiting for Redis. Never throws.
   */
  writeNow(): void {
    try {
      const text = this.render();
      if (text !== undefined) this.opts.store.writeNow(text);
    } catch (err) {
      reportInternalError(COMPONENT, err);
    }
  }

  private async writeIfChanged(): Promise<void> {
    if (this.writing) return;
    this.writing = this.write(false).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private async write(force: boolean): Promise<void> {
    try {
      const body = this.body();
      const now = this.now();
      if (!force && body === this.lastBody && now - this.lastWriteAt < HEARTBEAT_MS) return;
      const text = this.fit(body, now);
      if (text === undefined) return;
      await this.opts.store.write(text);
      this.lastBody = body;
      this.lastWriteAt = now;
      if (this.failing) this.opts.logger.info({ journal: this.where }, 'alert journal written again');
      this.failing = false;
    } catch (err) {
      reportInternalError(COMPONENT, new Error(`alert journal ${this.where} not written, state would be lost at a restart: ${(err as Error).message}`));
      this.failing = true;
    }
  }

  private render(): string | undefined {
    return this.fit(this.body(), this.now());
  }

  private body(): string {
    const sections: Record<string, unknown> = {};
    for (const [name, { section }] of this.sections) sections[name] = section.snapshot();
    return JSON.stringify(sections);
  }

  /** The document for `body`, trimmed under maxBytes; undefined when even trimming cannot fit it. */
  private fit(body: string, now: number): string | undefined {
    const wrap = (s: string): string => `{"version":1,"savedAt":${now},"sections":${s}}`;
    let text = wrap(body);
    if (Buffer.byteLength(text) <= this.opts.maxBytes) return text;
    const sections = JSON.parse(body) as Record<string, unknown>;
    const order = [...this.sections].sort((a, b) => a[1].trimOrder - b[1].trimOrder);
    for (const [name, { section }] of order) {
      while (section.trim) {
        const over = Buffer.byteLength(text) - this.opts.maxBytes;
        if (over <= 0) return text;
        const cut = section.trim(sections[name], over);
        if (!cut) break;
        sections[name] = cut.state;
        for (const line of cut.dropped) this.logDrop(line);
        text = wrap(JSON.stringify(sections));
      }
    }
    if (Buffer.byteLength(text) <= this.opts.maxBytes) return text;
    this.logDrop(`the whole journal (${Buffer.byteLength(text)} bytes over maxBytes ${this.opts.maxBytes} after trimming)`);
    return undefined;
  }

  private logDrop(what: string): void {
    if (this.loggedDrops.has(what)) return;
    if (this.loggedDrops.size < LOGGED_DROPS_CAP) this.loggedDrops.add(what);
    this.opts.logger.error({ journal: this.where, maxBytes: this.opts.maxBytes, dropped: what }, `alert journal full: not kept for a restart: ${what}`);
  }
}
