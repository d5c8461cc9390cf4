import type { Alert, Telemetry } from '../../src/index';

/** One alert or recovery event the reporter printed, kept for the summary and the test. */
export interface DemoEvent {
  readonly kind: 'firing' | 'resolved' | 'recovery';
  readonly name: string;
  readonly severity?: string;
  readonly outcome?: string;
  readonly at: number;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * Prints the demo's progress readably: one line per phase, per alert firing and resolving, per
 * recovery run. Recovery runs are read from telemetry.recovery.runs() once a second.
 */
export class ConsoleReporter {
  readonly events: DemoEvent[] = [];
  private readonly offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private seenRuns = 0;

  constructor(private readonly telemetry: Telemetry, private readonly write: (line: string) => void) {}

  /** Subscribes to alert events and starts watching recovery runs. */
  start(): void {
    this.offs.push(this.telemetry.alerts.on('firing', (a) => this.alert('firing', a)));
    this.offs.push(this.telemetry.alerts.on('resolved', (a) => this.alert('resolved', a)));
    this.seenRuns = this.telemetry.recovery.runs().length;
    this.timer = setInterval(() => this.pollRecovery(), 250);
    this.timer.unref();
  }

  /** A free-form line with the time in front. */
  line(text: string): void {
    this.write(`${clock(Date.now())}  ${text}`);
  }

  /** The progress line of a phase. */
  phase(index: number, total: number, name: string, description: string, seconds: number): void {
    this.line(`PHASE    ${index}/${total} ${name.padEnd(8)} ${description} (${num(seconds)} s)`);
  }

  private alert(kind: 'firing' | 'resolved', a: Readonly<Alert>): void {
    this.events.push({ kind, name: a.alertname, severity: a.severity, at: Date.now() });
    const { alertname: _n, severity: _s, area: _a, ...rest } = a.labels;
    const labels = Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(' ');
    const detail = kind === 'firing' ? `value ${num(a.value)} vs ${num(a.threshold)}` : `last value ${num(a.value)}`;
    this.line(`${kind === 'firing' ? 'FIRING  ' : 'RESOLVED'} ${a.severity.padEnd(8)} ${a.alertname}  ${detail}${labels ? `  {${labels}}` : ''}`);
  }

  private pollRecovery(): void {
    const runs = this.telemetry.recovery.runs();
    // runs() may be capped; only the runs after the ones already printed are new.
    const fresh = runs.slice(Math.min(this.seenRuns, runs.length));
    this.seenRuns = runs.length;
    for (const r of fresh) {
      this.events.push({ kind: 'recovery', name: r.procedure, outcome: r.outcome, at: Date.now() });
      const why = r.error ? `: ${r.error}` : '';
      this.line(`RECOVERY ${r.procedure} ${r.outcome} in ${num(r.durationMs / 1000)} s (${r.reason}, steps ${r.steps.map((s) => s.name).join(' > ')})${why}`);
    }
  }

  /** Prints what is left to print and stops listening. */
  stop(): void {
    this.pollRecovery();
    if (this.timer) clearInterval(this.timer);
    for (const off of this.offs.splice(0)) off();
  }

  /** The end-of-run summary lines. */
  summary(): string[] {
    const names = [...new Set(this.events.filter((e) => e.kind !== 'recovery').map((e) => e.name))];
    const lines = names.map((n) => {
      const fired = this.events.filter((e) => e.name === n && e.kind === 'firing').length;
      const resolved = this.events.filter((e) => e.name === n && e.kind === 'resolved').length;
      return `  ${n.padEnd(28)} fired ${fired}, resolved ${resolved}`;
    });
    const runs = this.events.filter((e) => e.kind === 'recovery');
    lines.push(`  recovery runs: ${runs.length === 0 ? 'none' : runs.map((r) => `${r.name} ${r.outcome}`).join(', ')}`);
    const stillFiring = this.telemetry.alerts.active().filter((a) => a.state === 'firing').map((a) => a.alertname);
    lines.push(`  still firing at the end: ${stillFiring.length === 0 ? 'none' : stillFiring.join(', ')}`);
    return lines;
  }
}
