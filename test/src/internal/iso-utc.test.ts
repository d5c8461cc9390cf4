import { strict as assert } from 'node:assert';
import pino from 'pino';
import { isoUtc } from '../../../src/internal/iso-utc';
import { createLogger } from '../../../src/logging/index';
import { LogCapture } from '../../helpers/log-capture';

describe('isoUtc', () => {
  it('prints what Date#toISOString prints, across years, months and milliseconds', () => {
    const samples = [0, 1, 999, 86_399_999, Date.UTC(2000, 1, 29, 23, 59, 59, 9), Date.UTC(2026, 11, 7, 1, 2, 3, 45), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(999, 0, 1), Date.UTC(5, 6, 7, 8, 9, 10, 11)];
    // A deterministic spread over 1970-2100 as well (a linear congruential walk, no Math.random).
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      samples.push(Math.floor((x / 2 ** 31) * 4_102_444_800_000));
    }
    for (const ms of samples) assert.equal(isoUtc(ms), new Date(ms).toISOString(), `at ${ms}`);
  });

  it("stamps log lines as pino's isoTime does", () => {
    const capture = new LogCapture();
    const before = Date.now();
    createLogger({ destination: capture }).info('hello');
    const after = Date.now();
    const line = capture.json()[0] as { time: string };
    assert.equal(line.time.length, pino.stdTimeFunctions.isoTime().length - ',"time":""'.length);
    const ms = Date.parse(line.time);
    assert.equal(isoUtc(ms), line.time);
    assert.ok(ms >= before && ms <= after, `${line.time} is between ${before} and ${after}`);
  });
});
