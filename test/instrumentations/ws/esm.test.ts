import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..', '..', '..');
const run = promisify(execFile);

// Out of process: an ESM app that calls start() and then `await import('ws')` (until the
// `--import pulseguard/register` fixture exists, this is the ESM path covered here).
describe('WsInstrumentation in an ESM app', () => {
  it('patches ws imported as an ES module (server and client) and reports its metrics', async function () {
    this.timeout(20_000);
    const fixture = join(root, 'test', 'fixtures', 'ws-esm-start.mjs');
    assert.ok(existsSync(join(root, 'dist', 'src', 'index.js')), 'build first: npx tsc -p .');
    const { stdout } = await run(process.execPath, [fixture], { cwd: root, timeout: 15_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, number | boolean>;
    assert.equal(out.serverPatched, true, 'WebSocketServer.prototype.handleUpgrade is wrapped');
    assert.equal(out.socketPatched, true, 'WebSocket.prototype.emit is wrapped');
    assert.equal(out['websocket.connections.opened{"ws.role":"server","outcome":"accepted","reason":"none"}'], 1);
    assert.equal(out['websocket.messages{"ws.role":"server","network.io.direction":"receive","websocket.message.type":"text"}'], 1);
    assert.equal(out['websocket.messages{"ws.role":"client","network.io.direction":"transmit","websocket.message.type":"text"}'], 1);
    assert.equal(out['websocket.message.latency{"ws.role":"server","websocket.latency.kind":"handler"}'], 1);
    assert.equal(out.health, 2, 'telemetry.websocket.health() sees both ends');
  });
});
