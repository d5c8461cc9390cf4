/**
 * `Date#toISOString` without the time zone. On Node 20 (V8 11.3) `toISOString` computes the local
 * time-zone offset and name although its output is UTC, which loads ICU's time-zone data from
 * the node binary: about 0.8 MB of RSS plus ICU's set-up. Code that runs at start (the logger's
 * timestamp, which pino calls once when a logger is created; the journal's restore line) uses
 * this instead, so an app that never prints a local date does not pay for one. The UTC getters
 * need no time zone.
 */
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** `ms` (epoch milliseconds) as `YYYY-MM-DDTHH:mm:ss.sssZ`, what `toISOString` prints for years 0 to 9999. */
export function isoUtc(ms: number): string {
  const date = new Date(ms);
  const y = date.getUTCFullYear();
  const year = y >= 1000 ? `${y}` : `000${y}`.slice(-4);
  return `${year}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.${pad3(date.getUTCMilliseconds())}Z`;
}
