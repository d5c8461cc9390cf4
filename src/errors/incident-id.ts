import { randomBytes } from 'node:crypto';

/**
 * A new incident id: `inc_` + UTC time (yyyymmddThhmmssZ, sortable) + 8 random hex chars,
 * e.g. `inc_20261128T111418Z_9f2c01ab`. Short enough to read over the phone, unique enough
 * per service.
 */
export function newIncidentId(now = Date.now()): string {
  const t = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `inc_${t}_${randomBytes(4).toString('hex')}`;
}
