import { strict as assert } from 'node:assert';
import { createLogger, redactString } from '../../src/logging/index';
import { createErrorTracker } from '../../src/errors/index';
import { errorFacts } from '../../src/errors/error-facts';
import { LogCapture } from '../helpers/log-capture';

// A GramJS StringSession: "1" + base64 of dc id, address, port and a 256-byte auth key.
const SESSION = `1BAAOMTQ5LjE1NC4xNjcuNTAAUE${'kR3x9vQ2mZ8pL4tY6wN1bC5dF7gH0jK'.repeat(11)}Qz8=`;
const PHONE = '+14155552671';
const PREFIX = 'x'.repeat(800);

// Secrets users expect censored though they match no named pattern of their own.
const NATIONAL_PHONES = ['(415) 555-2671', '415-555-2671', '415.555.2671'];
const EMAIL = 'jane.doe+alerts@example.co.uk';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SHORT_SESSION = `1AgAOMTQ5LjE1NC4xNjcu${'Qm9vZ3lXb29neTJ4'.repeat(8)}`; // 150 characters, under the 300 of a full one
const API_KEY = 'sk_live_51HqLyjWDarjtT1zdp7dcXa9nAa2bC3dE4fG5hI6';

function assertClean(text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    assert.ok(!text.includes(s), `leaked ${s.slice(0, 16)}...`);
    // A cut secret must not survive either: no 24-character piece of it may appear.
    for (let i = 0; i + 24 <= s.length; i += 12) assert.ok(!text.includes(s.slice(i, i + 24)), `leaked a piece of ${s.slice(0, 16)}...`);
  }
}

describe('regression: secrets that leaked', () => {
  it('logger.error(err) writes a redacted msg (pino filled msg from the raw err.message)', () => {
    const out = new LogCapture();
    const log = createLogger({ destination: out });
    log.error(new Error(`login failed for ${PHONE} with ${SESSION}`));
    log.error({ err: new Error(`retry ${SESSION}`) });
    log.error({ err: new Error(`with ${PHONE}`) }, 'explicit message');
    assertClean(out.text, [SESSION, PHONE]);
    const lines = out.json() as Array<{ msg: string; err: { message: string } }>;
    assert.equal(lines[0].msg, 'login failed for [REDACTED] with [REDACTED]');
    assert.equal(lines[0].err.message, 'login failed for [REDACTED] with [REDACTED]');
    assert.equal(lines[1].msg, 'retry [REDACTED]');
    assert.equal(lines[2].msg, 'explicit message');
  });

  it('logged errors keep their type (the formatter ran before pino\'s err serializer: type "Object")', () => {
    const out = new LogCapture();
    const log = createLogger({ destination: out });
    class PaymentDeclined extends Error {}
    log.error(new TypeError('bad'));
    log.error({ err: new PaymentDeclined('declined') }, 'charge failed');
    const lines = out.json() as Array<{ err: { type: string } }>;
    assert.equal(lines[0].err.type, 'TypeError');
    assert.equal(lines[1].err.type, 'PaymentDeclined');
  });

  it('redacts before truncating: a session behind an 800-character prefix leaves no piece in a sample', () => {
    const tracker = createErrorTracker();
    const group = tracker.track(new Error(`${PREFIX} session=${SESSION} phone=${PHONE}`));
    assert.ok(group);
    const sample = tracker.get(group.fingerprint)?.samples[0];
    assert.ok(sample);
    assertClean(JSON.stringify(sample), [SESSION, PHONE]);
    assertClean(JSON.stringify(group), [SESSION, PHONE]);
    assert.ok(sample.message.includes('session=[REDACTED]'), sample.message.slice(790));
  });

  it('errorFacts redacts message and stack at the source, before they are shortened', () => {
    const facts = errorFacts(new Error(`${PREFIX}${SESSION}`));
    assertClean(facts.message + (facts.stack ?? ''), [SESSION]);
    assert.ok(facts.message.length <= 1000);
    assertClean(errorFacts(`${PREFIX}${SESSION}`).message, [SESSION]);
  });

  it('censors e-mail addresses, national phone numbers, bare JWTs and short session-like blobs', () => {
    const secrets = [...NATIONAL_PHONES, EMAIL, JWT, SHORT_SESSION, API_KEY];
    for (const s of secrets) assertClean(redactString(`value: ${s}.`), [s]);
    const out = new LogCapture();
    createLogger({ destination: out }).warn({ contact: `mail ${EMAIL}` }, `call ${NATIONAL_PHONES[0]} token ${JWT}`);
    assertClean(out.text, secrets);
  });

  it('leaves ordinary text readable: trace ids, hex ids, paths, codes, versions, timestamps', () => {
    const text = [
      'trace 4bf92f3577b34da6a3ce929d0e0e4736',
      'at Object.<anonymous> (/srv/app/node_modules/@opentelemetry/sdk-metrics/build/src/export/MetricReader.js:123:45)',
      'ERR_SOCKET_CONNECTION_TIMEOUT_AFTER_RETRIES_EXHAUSTED_ON_DC2',
      'pulseguard@0.1.0 at 2026-12-06T14:28:10.123Z, port 5432, order 1234567',
    ].join('\n');
    assert.equal(redactString(text), text);
  });
});
