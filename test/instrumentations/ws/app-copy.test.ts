import { strict as assert } from 'node:assert';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_WS_CONNECTIONS_OPENED } from '../../../instrumentations/ws/semconv';
import { ChildApp, cleanEnv } from '../../helpers/child-app';
import { REPO_ROOT, TempDir } from '../../helpers/temp-dir';

const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');

describe('WsInstrumentation: the copy of ws the app loads', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(() => dir.cleanup());

  it('counts connections of an app whose ws is not the copy pulseguard would resolve', async () => {
    // The app's own ws, installed where pulseguard's require() never looks (an app on another
    // ws version got a second copy when ws was a regular dependency of pulseguard).
    cpSync(join(REPO_ROOT, 'node_modules', 'ws'), join(dir.path, 'node_modules', 'ws'), { recursive: true });
    const script = `
      const { start } = require(${JSON.stringify(INDEX)});
      (async () => {
        const t = await start({ service: { name: 'app-copy' }, exporters: { prometheus: { port: 0 } }, logging: { level: 'warn' } });
        const wsPath = require.resolve('ws');
        const { WebSocketServer, WebSocket } = require('ws');
        const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
        await new Promise((r) => wss.once('listening', r));
        const client = new WebSocket('ws://127.0.0.1:' + wss.address().port);
        await new Promise((r, j) => { client.once('open', r); client.once('error', j); });
        client.close();
        await new Promise((r) => client.once('close', r));
        let opened = 0;
        for (const sm of (await t.collect()).scopeMetrics) for (const m of sm.metrics) {
          if (m.descriptor.name === ${JSON.stringify(METRIC_WS_CONNECTIONS_OPENED)}) for (const p of m.dataPoints) opened += p.value;
        }
        console.log('RESULT ' + JSON.stringify({ wsPath, opened }));
        wss.close();
        await t.shutdown();
        process.exit(0);
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const child = new ChildApp(['-e', script], { cwd: dir.path, env: cleanEnv() });
    const result = (await child.waitForLine('RESULT')) as { wsPath: string; opened: number };
    assert.ok(result.wsPath.startsWith(join(dir.path, 'node_modules', 'ws')), `the app loaded ${result.wsPath}`);
    // One server-side accept and one client-side open.
    assert.equal(result.opened, 2);
  });
});
