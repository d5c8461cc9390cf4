import { strict as assert } from 'node:assert';
import { CENSOR, censorPatterns, mayHoldPattern, redactString } from '../../../src/logging/redaction';

// A deterministic generator (no Math.random): the same strings every run.
function* strings(count: number): Generator<string> {
  // Pieces the patterns are made of, mixed with plain text, so near-misses come up often.
  const pieces = ['a', 'Z', '7', '415', '555', '2671', '.', '-', '_', '/', ':', '@', '?', '&', '=', '+', '(', ')', ' ', 'eyJ', 'Bearer ',
    'token=', 'hooks.slack.com/services/', '://', 'user', '.com', 'x'.repeat(8), '1234567', 'Ab1'];
  let x = 987654321;
  const next = (n: number): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  for (let i = 0; i < count; i++) {
    let s = '';
    const parts = next(14);
    for (let p = 0; p < parts; p++) s += pieces[next(pieces.length)];
    yield s;
  }
}

describe('redactString', () => {
  it('skips the pattern scans only for strings no pattern can match in', () => {
    let skipped = 0;
    for (const s of strings(50_000)) {
      if (mayHoldPattern(s)) continue;
      skipped++;
      assert.equal(censorPatterns(s), s, `a pattern matches in ${JSON.stringify(s)}, which the fast path skips`);
    }
    assert.ok(skipped > 5_000, `the corpus exercises the fast path (${skipped} strings)`);
  });

  it('still censors every kind of value the patterns know', () => {
    const secrets = ['415-555-2671', '(415) 555-2671', '+44 7911 123456', 'ops@example.com', 'Bearer abcdefgh1234', 'eyJhbGci.eyJzdWIi.sig',
      'https://u:p@host', '?token=abc', 'hooks.slack.com/services/T0', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'];
    for (const s of secrets) assert.ok(redactString(s).includes(CENSOR), `${s} not censored`);
    assert.equal(redactString('evaluator'), 'evaluator');
    assert.equal(redactString('telegram.session-monitor'), 'telegram.session-monitor');
  });
});
