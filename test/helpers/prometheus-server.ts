import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/sdk/free-port';
import { until } from './poll';

/** A throwaway Prometheus server scraping one target every second. */
export interface TestPrometheus {
  url: string;
  stop(): Promise<void>;
  /** Resolves once Prometheus holds at least `n` scrapes of the target. */
  waitForScrapes(n: number, timeoutMs?: number): Promise<void>;
}

/** Starts `prometheus` (Debian package) on a free port with a temp config and storage dir. */
export async function startTestPrometheus(target: string): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'pulseguard-prom-'));
  const port = await findFreePort();
  writeFileSync(join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target}']\n`);
  let proc: ChildProcess;
  try {
    proc = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  } catch (err) {
    throw new Error(`cannot start prometheus (${(err as Error).message}). Install it with: apt-get update && apt-get install -y prometheus`);
  }
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (e) => reject(new Error(`cannot start prometheus (${e.message}). Install it with: apt-get install -y prometheus`))));
  const url = `http://127.0.0.1:${port}`;
  /** Asks Prometheus every 200 ms; a refused or failed request means not yet. */
  const poll = (ok: () => Promise<boolean>, what: string, timeoutMs: number) =>
    until(() => ok().catch(() => false), what, timeoutMs, 200);
  await Promise.race([spawnError, poll(async () => (await fetch(`${url}/-/ready`)).ok, 'Prometheus to be ready', 15_000)]);
  return {
    url,
    async waitForScrapes(n, timeoutMs = 20_000) {
      await poll(async () => {
        const r = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent('count_over_time(up[5m])')}`)).json()) as { data: { result: { value: [number, string] }[] } };
        return Number(r.data.result[0]?.value[1] ?? 0) >= n;
      }, `Prometheus to hold ${n} scrapes`, timeoutMs);
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
