import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** The environment of the test process minus everything pulseguard or OpenTelemetry would read. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // PULSEGUARD_JOURNAL_DIR stays: it is the test's own journal directory (journal-per-test.ts).
    if (!/^(PULSEGUARD_|OTEL_|NODE_OPTIONS$)/.test(k) || k === 'PULSEGUARD_JOURNAL_DIR') env[k] = v;
  }
  return { ...env, ...extra };
}

/** A node child process whose stdout/stderr are collected as text. */
export class ChildApp {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the JSON after `marker ` on a stdout line; rejects (with stderr) on exit or timeout. */
  waitForLine(marker: string, timeoutMs = 25_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const find = (): boolean => {
        const line = this.stdout.split('\n').find((l) => l.startsWith(`${marker} `));
        if (line === undefined) return false;
        cleanup();
        resolve(JSON.parse(line.slice(marker.length + 1)));
        return true;
      };
      const onExit = (code: number | null): void => {
        if (find()) return;
        cleanup();
        reject(new Error(`child exited with ${code} before printing ${marker}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${marker} line within ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      const onData = (): void => void find();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.stdout.off('data', onData);
        this.child.off('exit', onExit);
      };
      this.child.stdout.on('data', onData);
      this.child.once('exit', onExit);
      find();
    });
  }

  /** Closes stdin (the fixtures exit 0 on that) and waits; kills after a grace period. */
  async stop(): Promise<number | null> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
