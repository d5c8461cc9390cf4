import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/sdk/free-port';
import { until } from './poll';

const BINARY = 'prometheus-alertmanager';

/** A real Alertmanager (Debian's 0.25) on a free loopback port, with its own temp config and storage. */
export class AlertmanagerProcess {
  private child: ChildProcess | undefined;
  private dir = '';
  url = '';
  private stderr = '';

  async start(configYaml: string): Promise<string> {
    if (spawnSync('which', [BINARY]).status !== 0) {
      throw new Error(`${BINARY} is not installed. Install it with: apt-get update && apt-get install -y prometheus-alertmanager`);
    }
    this.dir = mkdtempSync(join(tmpdir(), 'pulseguard-am-'));
    writeFileSync(join(this.dir, 'alertmanager.yml'), configYaml);
    const port = await findFreePort();
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(BINARY, [
      `--config.file=${join(this.dir, 'alertmanager.yml')}`, `--storage.path=${join(this.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (c: Buffer) => (this.stderr += c.toString()));
    // Stop asking once it has exited: its stderr then says why, waiting longer would not help.
    const readyOrExited = async () => child.exitCode !== null || (await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false));
    const notReady = (why: string) => new Error(`Alertmanager did not become ready (${why}): ${this.stderr.slice(-500)}`);
    await until(readyOrExited, 'Alertmanager to be ready', 15_000, 100).catch((err: Error) => { throw notReady(err.message); });
    if (child.exitCode !== null) throw notReady(`exited with ${child.exitCode}`);
    return this.url;
  }

  /** GET /api/v2/alerts. */
  async alerts(): Promise<Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] }; endsAt: string }>> {
    const r = await fetch(`${this.url}/api/v2/alerts`);
    return (await r.json()) as Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] }; endsAt: string }>;
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child?.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
