import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { HttpReceiver } from '../helpers/http-receiver';
import { requireSharedRedis, uniquePrefix } from '../helpers/redis';
import { REPO_ROOT } from '../helpers/temp-dir';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'fleet-app.cjs');

interface WebhookBody {
  status: string;
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Two replicas of one service (real start() each, one process each) sharing the Redis and the webhook. */
class Fleet {
  readonly replicas: ChildApp[];
  private steps = 0;

  constructor(webhookUrl: string, keyPrefix: string, fleet: 'on' | 'off') {
    this.replicas = ['gw-1', 'gw-2'].map((replica) => new ChildApp([FIXTURE], {
      cwd: REPO_ROOT,
      env: cleanEnv({ REPLICA: replica, SERVICE_NAME: 'fleet-test', KEY_PREFIX: keyPrefix, WEBHOOK_URL: webhookUrl, FLEET: fleet }),
    }));
  }

  async ready(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.waitForLine('ready', 30_000)));
  }

  /** Sets the backlog gauge on every replica and waits until each evaluated its rules. */
  async step(backlog: number): Promise<void> {
    this.steps++;
    for (const r of this.replicas) r.child.stdin.write(`${JSON.stringify({ backlog })}\n`);
    const deadline = Date.now() + 10_000;
    const evaluated = (r: ChildApp): number => r.stdout.split('\n').filter((l) => l.startsWith('evaluated ')).length;
    while (!this.replicas.every((r) => evaluated(r) >= this.steps)) {
      if (Date.now() > deadline) throw new Error(`replicas did not evaluate: ${this.replicas.map((r) => r.stdout + r.stderr).join('\n---\n')}`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    const codes = await Promise.all(this.replicas.map((r) => r.stop()));
    assert.deepEqual(codes, [0, 0], this.replicas.map((r) => r.stderr).join('\n---\n'));
  }
}

// Issue 18 ("a fleet that notifies once"): N replicas running the in-process evaluator each
// notified the shared channels, so one incident reached the webhook N times per state change.
describe('fleet de-duplication: two processes sharing Redis (regression: every replica notified)', function () {
  this.timeout(90_000);
  let admin: Redis;
  let receiver: HttpReceiver;
  let url: string;
  const prefixes: string[] = [];
  before(async () => {
    admin = await requireSharedRedis();
  });
  beforeEach(async () => {
    receiver = new HttpReceiver();
    url = await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
  });
  after(async () => {
    for (const p of prefixes.splice(0)) {
      const keys = await admin.keys(`${p}:*`);
      if (keys.length > 0) await admin.del(...keys);
    }
    admin?.disconnect();
  });

  const received = (): Array<[string, string]> => receiver.requests.map((r) => {
    const b = r.body as WebhookBody;
    return [b.status, b.alerts.map((a) => `${a.labels.alertname}:${a.status}`).join(',')];
  });

  it('sends one notification per state change across the fleet: firing, the repeat, resolved', async () => {
    const prefix = uniquePrefix('fleet');
    prefixes.push(prefix);
    const fleet = new Fleet(url, prefix, 'on');
    try {
      await fleet.ready();
      await fleet.step(50);
      await receiver.waitFor(1, 10_000);
      // Both replicas flushed their group (group wait 100 ms, interval 300 ms): still one.
      await sleep(900);
      assert.deepEqual(received(), [['firing', 'BacklogHigh:firing']]);

      // Repeat interval 2.5 s, one repeat: each replica comes to its repeat, the fleet sends it once.
      await receiver.waitFor(2, 10_000);
      await sleep(1500);
      assert.deepEqual(received(), [['firing', 'BacklogHigh:firing'], ['firing', 'BacklogHigh:firing']]);

      await fleet.step(0);
      await receiver.waitFor(3, 10_000);
      await sleep(900);
      assert.deepEqual(received(), [['firing', 'BacklogHigh:firing'], ['firing', 'BacklogHigh:firing'], ['resolved', 'BacklogHigh:resolved']]);

      // The alert fires again: a new state change, announced once more.
      await fleet.step(80);
      await receiver.waitFor(4, 10_000);
      await sleep(900);
      assert.equal(received().length, 4);
      assert.deepEqual(received()[3], ['firing', 'BacklogHigh:firing']);
    } finally {
      await fleet.stop();
    }
  });

  it('control: with alerting.fleet off, each replica sends its own', async () => {
    const prefix = uniquePrefix('fleet-off');
    prefixes.push(prefix);
    const fleet = new Fleet(url, prefix, 'off');
    try {
      await fleet.ready();
      await fleet.step(50);
      await receiver.waitFor(2, 10_000);
      assert.deepEqual(received(), [['firing', 'BacklogHigh:firing'], ['firing', 'BacklogHigh:firing']]);
    } finally {
      await fleet.stop();
    }
  });
});
