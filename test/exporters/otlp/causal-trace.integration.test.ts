import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OtlpReceiver } from '../../helpers/otlp-receiver';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'otlp-causal.cjs');

describe('OTLP traces across WebSocket, Telegram and PostgreSQL', () => {
  it('puts the WebSocket upgrade, the Telegram RPC and the pg query of one action in one trace', async () => {
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.start();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [FIXTURE], { env: { ...process.env, OTLP_ENDPOINT: endpoint }, timeout: 60_000 })
        .catch((err: { stderr?: string; message: string }) => {
          throw new Error(`fixture failed (PostgreSQL must run on 127.0.0.1:5432; bash scripts/prepare-test-env.sh starts it): ${err.stderr ?? err.message}`);
        });
      const traceId = /CAUSAL_TRACE ([0-9a-f]{32})/.exec(stdout)?.[1];
      assert.ok(traceId, stdout);
      const inTrace = receiver.spans.filter((s) => s.traceId === traceId);
      const names = inTrace.map((s) => s.name);
      assert.ok(names.includes('websocket upgrade'), `spans in the trace: ${names.join(', ')}`);
      assert.ok(names.includes('updates.GetState'), `spans in the trace: ${names.join(', ')}`);
      assert.ok(inTrace.some((s) => OtlpReceiver.attr(s, 'db.system.name') === 'postgresql' || /SELECT|pg\./.test(s.name)), `spans in the trace: ${names.join(', ')}`);
    } finally {
      await receiver.stop();
    }
  });
});
