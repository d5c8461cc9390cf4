import { strict as assert } from 'node:assert';
import { Redis } from 'ioredis';
import { claimNotification, type ClaimRequest } from '../../../../src/alerting/fleet/fleet-claim';
import { FleetGate } from '../../../../src/alerting/fleet/fleet-gate';
import { systemClock, type ChannelName, type Notification } from '../../../../src/alerting/types';
import { createLogger } from '../../../../src/logging/logger';
import { configSchema } from '../../../../src/config/schema';
import { LogCapture } from '../../../helpers/log-capture';
import { firing } from '../../../helpers/alerts';
import { requireSharedRedis, uniquePrefix } from '../../../helpers/redis';

describe('fleet de-duplication claims (real Redis)', () => {
  let redis: Redis;
  const keys: string[] = [];
  before(async () => {
    redis = await requireSharedRedis();
  });
  after(async () => {
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  function claimer() {
    const key = uniquePrefix('fleet-claim');
    keys.push(key);
    return (firingFps: string[], resolvedFps: string[], now: number, kind: ClaimRequest['kind'] = 'state') =>
      claimNotification(redis, { key, firing: firingFps, resolved: resolvedFps, now, repeatIntervalMs: 1000, kind, ttlMs: 60_000 });
  }

  it('sends what is news to the fleet and nothing else (Alertmanager\'s needsUpdate)', async () => {
    const claim = claimer();
    assert.equal(await claim(['a'], [], 0), true, 'first word on the group');
    assert.equal(await claim(['a'], [], 10), false, 'another replica, same firing alert');
    assert.equal(await claim(['a', 'b'], [], 20), true, 'a new firing alert');
    assert.equal(await claim(['b'], [], 30), false, 'a subset of what was told, nothing resolved to tell');
    assert.equal(await claim(['b'], ['a'], 40), true, 'a resolve not yet told');
    assert.equal(await claim(['b'], ['a'], 50), false);
    assert.equal(await claim([], ['b'], 60), true, 'everything resolved');
    assert.equal(await claim([], ['b'], 70), false);
    assert.equal(await claim(['b'], [], 80), true, 'firing again after the resolve');
  });

  it('sends a repeat once per repeat interval across replicas, and one escalation per state', async () => {
    const claim = claimer();
    assert.equal(await claim(['a'], [], 0), true);
    assert.equal(await claim(['a'], [], 999, 'repeat'), false, 'within the interval');
    assert.equal(await claim(['a'], [], 1000, 'repeat'), true);
    assert.equal(await claim(['a'], [], 1200, 'repeat'), false, 'the other replica\'s repeat, 200 ms later');
    assert.equal(await claim(['a'], [], 2500, 'escalation'), true);
    assert.equal(await claim(['a'], [], 2600, 'escalation'), false, 'escalated already');
    assert.equal(await claim(['a'], [], 3500, 'repeat'), true, 'repeats keep the escalation mark');
    assert.equal(await claim(['a'], [], 3600, 'escalation'), false);
    assert.equal(await claim(['a', 'c'], [], 3700), true);
    assert.equal(await claim(['a', 'c'], [], 3800, 'escalation'), true, 'a new state may escalate again');
  });

  it('expires the group record after the time to live', async () => {
    const key = uniquePrefix('fleet-ttl');
    keys.push(key);
    await claimNotification(redis, { key, firing: ['a'], resolved: [], now: 0, repeatIntervalMs: 1000, kind: 'state', ttlMs: 5000 });
    const pttl = await redis.pttl(key);
    assert.ok(pttl > 4000 && pttl <= 5000, `PTTL ${pttl}`);
  });
});

describe('FleetGate', () => {
  const n = (reason: Notification['reason'] = 'new'): Notification => {
    const a = firing('QueueDeep', 'warning');
    return { groupKey: 'g1', groupLabels: { alertname: 'QueueDeep' }, status: 'firing', alerts: [a], reason, level: 'medium', repeat: 0 };
  };

  it('sends on its own, logging once, when Redis is unreachable (a duplicate rather than a lost alert)', async () => {
    const client = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    const logs = new LogCapture();
    const gate = new FleetGate({ client, keyPrefix: 'pg-test', service: 'svc', ttlMs: 60_000, timeoutMs: 300, repeatIntervalMs: () => 1000, clock: systemClock, logger: createLogger({ destination: logs }) });
    const sent: ChannelName[] = [];
    gate.route(n(), ['log', 'webhook', 'slack'], (ch) => sent.push(ch));
    assert.deepEqual(sent, ['log'], 'the log channel is per replica: at once');
    gate.route(n('repeat'), ['webhook'], (ch) => sent.push(ch));
    await gate.idle(2000);
    assert.deepEqual(sent, ['log', 'webhook', 'slack', 'webhook']);
    assert.equal(logs.json().filter((j) => /Redis unavailable/.test(String(j.msg))).length, 1);
    client.disconnect();
  });

  it('keeps the order of one group\'s notifications while claims are in flight', async () => {
    const redis = await requireSharedRedis();
    const gate = new FleetGate({ client: redis, keyPrefix: uniquePrefix('fleet-order'), service: 'svc', ttlMs: 60_000, timeoutMs: 2000, repeatIntervalMs: () => 0,
      clock: systemClock, logger: createLogger({ destination: new LogCapture() }) });
    const seen: string[] = [];
    const a = firing('QueueDeep', 'warning');
    const b = firing('QueueDeep', 'warning', new Date(0), { queue: 'b' });
    gate.route({ ...n(), alerts: [a] }, ['webhook'], () => seen.push('a'));
    gate.route({ ...n('changed'), alerts: [a, b] }, ['webhook'], () => seen.push('a+b'));
    gate.route({ ...n('changed'), status: 'resolved', alerts: [{ ...a, status: 'resolved' }, { ...b, status: 'resolved' }] }, ['webhook'], () => seen.push('resolved'));
    await gate.idle(5000);
    assert.deepEqual(seen, ['a', 'a+b', 'resolved']);
    redis.disconnect();
  });
});

describe('alerting.fleet configuration', () => {
  it('needs the Redis rate-limit store, and says so', () => {
    const bad = configSchema().safeParse({ service: { name: 'svc' }, alerting: { fleet: { enabled: true } } });
    assert.equal(bad.success, false);
    const issue = bad.error?.issues.find((i) => i.path.join('.') === 'alerting.fleet.enabled');
    assert.match(issue?.message ?? '', /needs rateLimits\.store "redis"/);
    assert.equal(configSchema().safeParse({ service: { name: 'svc' }, alerting: { fleet: { enabled: true } }, rateLimits: { store: 'redis' } }).success, true);
  });
});
