import { strict as assert } from 'node:assert';
import { trace, context } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger, registerSecret } from '../../../src/logging/index';
import { LogCapture } from '../../helpers/log-capture';

// Real-looking secrets: a GramJS StringSession ("1" + base64 of a 256-byte auth key and an address),
// an api_hash, a bot token, a phone number, a password and an Authorization header.
const SESSION = `1BAAOMTQ5LjE1NC4xNjcuNTAAUE${'kR3x9vQ2mZ8pL4tY6wN1bC5dF7gH0jK'.repeat(11)}Qz8=`;
const API_HASH = '0123456789abcdef0123456789abcdef';
const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const PHONE = '+44 7911 123456';
const PASSWORD = 'hunter2-correct-horse';
const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig';

describe('createLogger', () => {
  describe('redaction', () => {
    let out: LogCapture;
    beforeEach(() => {
      out = new LogCapture();
    });

    it('censors secret keys at any depth', () => {
      const log = createLogger({ destination: out });
      log.info({ telegram: { apiHash: API_HASH, session: SESSION, phone: PHONE }, db: { conn: { password: PASSWORD } },
        req: { headers: { authorization: BEARER } } }, 'connected');
      for (const s of [API_HASH, SESSION, PHONE, PASSWORD, BEARER]) assert.ok(!out.text.includes(s), `leaked ${s.slice(0, 12)}`);
      const line = out.json()[0] as { telegram: { apiHash: string } };
      assert.equal(line.telegram.apiHash, '[REDACTED]');
    });

    it('censors secrets inside messages and free-text values', () => {
      const log = createLogger({ destination: out });
      log.warn({ note: `retrying with ${SESSION}` }, `login for ${PHONE} with token ${BOT_TOKEN} and ${BEARER}`);
      log.error(`postgres://app:${PASSWORD}@db:5432/app refused`);
      for (const s of [SESSION, PHONE, BOT_TOKEN, BEARER, PASSWORD]) assert.ok(!out.text.includes(s), `leaked ${s.slice(0, 12)}`);
      assert.match(out.text, /postgres:\/\/\[REDACTED\]@db/);
    });

    it('censors values registered as secrets wherever they appear', () => {
      registerSecret(API_HASH);
      const log = createLogger({ destination: out });
      log.info({ arbitrary: { field: `hash=${API_HASH}` } }, `using ${API_HASH}`);
      assert.ok(!out.text.includes(API_HASH));
    });

    it("censors secrets in a child logger's bindings and in the base fields", () => {
      const log = createLogger({ destination: out, base: { service: 'chat', owner: { email: 'ops@example.com' } }, redactPaths: ['customer.iban'] });
      log.child({ telegram: { session: SESSION, apiHash: API_HASH }, headers: { authorization: BEARER }, customer: { iban: 'GB33BUKB20201555555555' }, note: `phone ${PHONE}` })
        .info('bound');
      for (const s of [SESSION, API_HASH, BEARER, 'GB33BUKB20201555555555', PHONE, 'ops@example.com']) assert.ok(!out.text.includes(s), `leaked ${s.slice(0, 12)}`);
      const line = out.json()[0] as { service: string; telegram: { session: string }; msg: string };
      assert.equal(line.telegram.session, '[REDACTED]');
      assert.equal(line.service, 'chat');
      assert.equal(line.msg, 'bound');

      // A child's child, and bindings set later.
      const grandchild = log.child({ component: 'a' }).child({ db: { password: PASSWORD } });
      grandchild.setBindings({ token: BOT_TOKEN });
      grandchild.warn('nested');
      for (const s of [PASSWORD, BOT_TOKEN]) assert.ok(!out.text.includes(s), `leaked ${s.slice(0, 12)}`);
      assert.equal((out.json()[1] as { component: string }).component, 'a');
    });

    it('censors configured extra paths and scrubs error messages and stacks', () => {
      const log = createLogger({ destination: out, redactPaths: ['customer.iban'] });
      const err = new Error(`auth failed for ${PHONE}`);
      log.error({ err, customer: { iban: 'GB33BUKB20201555555555' } }, 'failed');
      assert.ok(!out.text.includes(PHONE));
      assert.ok(!out.text.includes('GB33BUKB20201555555555'));
      assert.match(out.text, /auth failed for \[REDACTED\]/);
    });
  });

  describe('trace correlation', () => {
    it('adds trace_id and span_id of the active span', () => {
      const cm = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(cm);
      const provider = new BasicTracerProvider();
      const out = new LogCapture();
      const log = createLogger({ destination: out });
      const span = provider.getTracer('t').startSpan('op');
      context.with(trace.setSpan(context.active(), span), () => log.info('inside'));
      span.end();
      log.info('outside');
      const [inside, outside] = out.json();
      assert.equal(inside.trace_id, span.spanContext().traceId);
      assert.equal(inside.span_id, span.spanContext().spanId);
      assert.equal(outside.trace_id, undefined);
      context.disable();
    });
  });
});
