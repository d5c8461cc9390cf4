import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { createErrorTracker } from '../../../src/errors/index';
import { registerSecret } from '../../../src/logging/index';
import { internalErrorCount, setInternalErrorLogger } from '../../../src/internal/internal-errors';

function errorAt(site: number, message = 'failure'): Error {
  // Distinct explicit fingerprints stand in for distinct call sites.
  return Object.assign(new Error(`${message}`), { site });
}

describe('ErrorTracker', () => {
  describe('#track', () => {
    it('counts occurrences and keeps first and last seen', () => {
      let t = 1_000;
      const tracker = createErrorTracker({ now: () => t });
      const make = () => new Error('disk full');
      tracker.track(make());
      t = 5_000;
      const s = tracker.track(make());
      assert.ok(s);
      assert.equal(s.count, 2);
      assert.equal(s.firstSeen.getTime(), 1_000);
      assert.equal(s.lastSeen.getTime(), 5_000);
      assert.equal(s.type, 'Error');
      assert.equal(s.errorClass, 'unknown');
      assert.equal(tracker.stats().tracked, 2);
    });

    it('keeps the first and the 4 latest samples per group by default', () => {
      const tracker = createErrorTracker();
      let fp = '';
      for (let i = 0; i < 12; i++) fp = tracker.track(new Error(`attempt ${i} failed`), { context: { attempt: i } })?.fingerprint ?? '';
      const g = tracker.get(fp);
      assert.ok(g);
      assert.equal(g.count, 12);
      assert.equal(g.samples.length, 5);
      assert.deepEqual(g.samples.map((s) => s.context?.attempt), [0, 8, 9, 10, 11]);
      assert.equal(g.samples[0].message, 'attempt 0 failed');
    });

    it('honours samplesPerGroup', () => {
      const tracker = createErrorTracker({ samplesPerGroup: 2 });
      for (let i = 0; i < 4; i++) tracker.track(new Error('x'), { fingerprint: 'g' });
      assert.equal(tracker.get('g')?.samples.length, 2);
    });

    it('evicts the least recently seen group at maxGroups and counts evictions', () => {
      const tracker = createErrorTracker({ maxGroups: 3 });
      tracker.track(errorAt(1), { fingerprint: 'a' });
      tracker.track(errorAt(2), { fingerprint: 'b' });
      tracker.track(errorAt(3), { fingerprint: 'c' });
      tracker.track(errorAt(1), { fingerprint: 'a' }); // a is now the most recently seen
      tracker.track(errorAt(4), { fingerprint: 'd' }); // evicts b
      assert.equal(tracker.get('b'), undefined);
      assert.ok(tracker.get('a'));
      assert.ok(tracker.get('c'));
      assert.ok(tracker.get('d'));
      tracker.track(errorAt(5), { fingerprint: 'e' }); // evicts c
      assert.equal(tracker.get('c'), undefined);
      assert.deepEqual(tracker.stats(), { groups: 3, evictions: 2, tracked: 6 });
    });

    it('classifies with the app\'s own rules when given', () => {
      const tracker = createErrorTracker({ rules: [{ class: 'validation', types: ['InvalidOrderError'] }] });
      const err = Object.assign(new Error('order 12 invalid'), { name: 'InvalidOrderError' });
      assert.equal(tracker.track(err)?.errorClass, 'validation');
    });

    it('records the caller context and the error code in the sample', () => {
      const tracker = createErrorTracker();
      const s = tracker.track(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), { context: { route: '/send' } });
      const g = tracker.get(s?.fingerprint ?? '');
      assert.equal(g?.errorClass, 'network');
      assert.equal(g?.samples[0].code, 'ECONNRESET');
      assert.deepEqual(g?.samples[0].context, { route: '/send' });
      assert.match(g?.samples[0].stack ?? '', /reset/);
    });
  });

  describe('redaction', () => {
    it('never keeps a phone number, an api hash or a session string in groups or samples', () => {
      const tracker = createErrorTracker();
      const phone = '+44 7911 123456';
      const apiHash = randomBytes(16).toString('hex');
      const session = `1${randomBytes(260).toString('base64')}`;
      registerSecret(apiHash);
      const err = new Error(`login failed for ${phone} with hash ${apiHash} and session ${session}`);
      const s = tracker.track(err, { context: { phone, apiHash, nested: { stringSession: session, note: `retry ${phone}` } } });
      const all = JSON.stringify({ s, g: tracker.get(s?.fingerprint ?? ''), groups: tracker.groups() });
      for (const secret of [phone, apiHash, session, session.slice(0, 40)]) assert.ok(!all.includes(secret), `leaked ${secret.slice(0, 12)}...`);
      const sample = tracker.get(s?.fingerprint ?? '')?.samples[0];
      assert.match(sample?.message ?? '', /login failed for \[REDACTED\]/);
      assert.equal(sample?.context?.apiHash, '[REDACTED]');
    });
  });

  describe('#groups', () => {
    it('sorts by count, filters by class and honours limit', () => {
      const tracker = createErrorTracker();
      for (let i = 0; i < 3; i++) tracker.track(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), { fingerprint: 'net' });
      for (let i = 0; i < 5; i++) tracker.track(Object.assign(new Error('slow'), { code: 'ETIMEDOUT' }), { fingerprint: 'slow' });
      tracker.track(new Error('odd'), { fingerprint: 'odd' });
      assert.deepEqual(tracker.groups().map((g) => [g.fingerprint, g.count]), [['slow', 5], ['net', 3], ['odd', 1]]);
      assert.deepEqual(tracker.groups({ class: 'network' }).map((g) => g.fingerprint), ['net']);
      assert.deepEqual(tracker.groups({ limit: 1 }).map((g) => g.fingerprint), ['slow']);
    });

    it('returns copies that cannot change the tracker', () => {
      const tracker = createErrorTracker();
      tracker.track(new Error('x'), { fingerprint: 'x' });
      const g = tracker.groups()[0];
      g.count = 999;
      g.samples.length = 0;
      assert.equal(tracker.get('x')?.count, 1);
      assert.equal(tracker.get('x')?.samples.length, 1);
    });
  });

  describe('#reset', () => {
    it('forgets every group', () => {
      const tracker = createErrorTracker();
      tracker.track(new Error('x'));
      tracker.reset();
      assert.deepEqual(tracker.groups(), []);
      assert.deepEqual(tracker.stats(), { groups: 0, evictions: 0, tracked: 0 });
    });
  });

  describe('containment', () => {
    const hostileGetter = {
      get message(): string {
        throw new Error('message getter');
      },
      get stack(): string {
        throw new Error('stack getter');
      },
      get code(): string {
        throw new Error('code getter');
      },
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const values: Array<[string, unknown]> = [
      ['null', null],
      ['undefined', undefined],
      ['a string', 'plain string thrown'],
      ['a number', 42],
      ['a symbol', Symbol('s')],
      ['an object with throwing getters', hostileGetter],
      ['a revoked proxy', revoked.proxy],
      ['a function', () => 1],
    ];
    for (const [what, value] of values) {
      it(`contains ${what}`, () => {
        const tracker = createErrorTracker();
        const s = tracker.track(value);
        assert.ok(s, 'a group is returned');
        assert.equal(s.count, 1);
        assert.equal(s.errorClass, 'unknown');
      });
    }

    it('contains a throwing context and a hostile options object', () => {
      const tracker = createErrorTracker();
      const context = {
        get boom(): string {
          throw new Error('context getter');
        },
      };
      const a = tracker.track(new Error('x'), { context });
      const hostileOptions = new Proxy({}, { get: () => { throw new Error('options trap'); } });
      const b = tracker.track(new Error('y'), hostileOptions as never);
      assert.equal(a?.count, 1);
      assert.deepEqual(tracker.get(a?.fingerprint ?? '')?.samples[0].context, { unreadable: true });
      assert.equal(b?.count, 1);
      assert.equal(b?.message, 'y');
    });

    it('returns undefined and counts pulseguard.internal.errors{component=errors} if its own code fails', () => {
      // A clock that throws stands in for any internal fault.
      const tracker = createErrorTracker({ now: () => { throw new Error('clock broke'); } });
      const logged: Array<Record<string, unknown>> = [];
      setInternalErrorLogger({ warn: (obj) => void logged.push(obj) });
      try {
        const before = internalErrorCount('errors');
        assert.equal(tracker.track(new Error('x')), undefined);
        assert.equal(tracker.track(new Error('x')), undefined);
        assert.equal(internalErrorCount('errors') - before, 2);
        assert.equal(logged.filter((o) => o.component === 'errors').length <= 1, true, 'logged at most once per message');
      } finally {
        setInternalErrorLogger(undefined);
      }
    });

    it('keeps the group key of a string thrown value by its text', () => {
      const tracker = createErrorTracker();
      const a = tracker.track('job 17 failed');
      const b = tracker.track('job 18 failed');
      assert.equal(a?.fingerprint, b?.fingerprint);
      assert.equal(b?.type, 'string');
      assert.equal(b?.message, 'job <n> failed');
    });
  });
});
