import { strict as assert } from 'node:assert';
import { normaliseMessage, topInAppFrame, computeFingerprint } from '../../../src/errors/index';
import { createErrorTracker } from '../../../src/errors/index';

function throwFromAlpha(message: string): Error {
  return new Error(message);
}
function throwFromBeta(message: string): Error {
  return new Error(message);
}

describe('fingerprint', () => {
  describe('#normaliseMessage', () => {
    const cases: Array<[string, string]> = [
      ['timeout after 1234ms', 'timeout after <duration>'],
      ['timeout after 99ms', 'timeout after <duration>'],
      ['took 1.5 s', 'took <duration>'],
      ['user 123456 not found', 'user <n> not found'],
      ['id=550e8400-e29b-41d4-a716-446655440000 missing', 'id=<uuid> missing'],
      ['relation "users_42" does not exist', 'relation <str> does not exist'],
      ["key 'abc' is bad", 'key <str> is bad'],
      ["can't find user 'alice'", "can't find user <str>"],
      ['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED <ip>'],
      ['object deadbeef12 at 0x7ffe', 'object <hex> at <hex>'],
      ['FLOOD_WAIT_30', 'FLOOD_WAIT_<n>'],
      ['session user123 closed', 'session <id> closed'],
      ['mail to a.b@example.com bounced', 'mail to <email> bounced'],
      ['job at 2026-12-01T12:34:56.789Z failed', 'job at <timestamp> failed'],
      ['window 2026-12-01 12:34:56+01:00 to 2026-12-02T00:00Z', 'window <timestamp> to <timestamp>'],
      ['due 2026-12-01, retry', 'due <timestamp>, retry'],
      ['no such customer: cus_NffrFeUfNV2Hib', 'no such customer: <id>'],
      ['charge ch_3MmlLrLkdIwHu7ix0snN0B15 declined', 'charge <id> declined'],
      ['order V1StGXR8_Z5jdHi6B-myT not found', 'order <id> not found'],
      ['getUserProfileById failed in user_profiles', 'getUserProfileById failed in user_profiles'],
      ['ERR_SOCKET_CONNECTION_TIMEOUT on connectionPool', 'ERR_SOCKET_CONNECTION_TIMEOUT on connectionPool'],
    ];
    for (const [input, expected] of cases) {
      it(`normalises ${JSON.stringify(input)}`, () => {
        assert.equal(normaliseMessage(input), expected);
      });
    }
  });

  describe('#topInAppFrame', () => {
    it('skips node: internals and node_modules frames and drops line/column', () => {
      const stack = [
        'Error: boom',
        '    at Socket.emit (node:events:517:28)',
        '    at Parser.parse (/srv/app/node_modules/pg-protocol/dist/parser.js:39:38)',
        '    at handleMessage (/srv/app/src/chat/handler.js:12:9)',
        '    at /srv/app/src/main.js:3:1',
      ].join('\n');
      assert.equal(topInAppFrame(stack, '/srv/app'), 'handleMessage (src/chat/handler.js)');
    });

    it('returns an anonymous frame as its file and undefined when every frame is foreign', () => {
      assert.equal(topInAppFrame('Error: x\n    at /srv/app/src/main.js:3:1', '/srv/app'), 'src/main.js');
      assert.equal(topInAppFrame('Error: x\n    at node:internal/timers:1:1\n    at x (/a/node_modules/y.js:1:1)', '/a'), undefined);
      assert.equal(topInAppFrame(undefined), undefined);
    });
  });

  describe('grouping through the tracker', () => {
    it('puts "timeout after 1234ms" and "timeout after 99ms" from one place in the same group', () => {
      const tracker = createErrorTracker();
      const make = (ms: number) => new Error(`timeout after ${ms}ms`);
      const a = tracker.track(make(1234));
      const b = tracker.track(make(99));
      assert.ok(a && b);
      assert.equal(a.fingerprint, b.fingerprint);
      assert.equal(b.count, 2);
      assert.equal(b.message, 'timeout after <duration>');
      assert.match(b.frame ?? '', /make/);
    });

    it('puts the same message thrown from a different top frame in a different group', () => {
      const tracker = createErrorTracker();
      const a = tracker.track(throwFromAlpha('boom 1'));
      const b = tracker.track(throwFromBeta('boom 2'));
      assert.ok(a && b);
      assert.notEqual(a.fingerprint, b.fingerprint);
      assert.match(a.frame ?? '', /throwFromAlpha/);
      assert.match(b.frame ?? '', /throwFromBeta/);
      assert.equal(tracker.stats().groups, 2);
    });

    it('uses an explicit fingerprint over the computed one', () => {
      const tracker = createErrorTracker();
      const a = tracker.track(throwFromAlpha('one'), { fingerprint: 'checkout-failed' });
      const b = tracker.track(new TypeError('something else entirely'), { fingerprint: 'checkout-failed' });
      assert.equal(a?.fingerprint, 'checkout-failed');
      assert.equal(b?.fingerprint, 'checkout-failed');
      assert.equal(b?.count, 2);
      assert.equal(tracker.get('checkout-failed')?.samples.length, 2);
    });

    it('computes a stable 16-hex-digit hash of type, message and frame', () => {
      const parts = { type: 'Error', message: 'x <n>', frame: 'f (a.js)' };
      assert.match(computeFingerprint(parts), /^[0-9a-f]{16}$/);
      assert.equal(computeFingerprint(parts), computeFingerprint({ ...parts }));
      assert.notEqual(computeFingerprint(parts), computeFingerprint({ ...parts, type: 'TypeError' }));
    });
  });
});
