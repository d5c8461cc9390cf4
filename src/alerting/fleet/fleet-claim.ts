import type { RedisClient } from '../../internal/redis-client';

/**
 * Alertmanager's notification-log check (notify.go `needsUpdate`), run atomically in Redis over
 * one hash per alert group: `firing` and `resolved` (the fingerprints of the last notification the
 * fleet sent), `at` (when, in the sender's clock) and `escalated`. A replica sends when what it
 * has to say is news to the fleet: an alert firing that was not in the last notification, every
 * alert resolved where some were firing, a resolve not yet told, a repeat once the repeat interval
 * has passed since the fleet's last notification, an escalation not yet sent for this state.
 * When it sends, it records its notification; otherwise nothing changes.
 *
 * KEYS[1] the group's hash. ARGV: firing fingerprints (comma-separated), resolved fingerprints,
 * now (ms), repeat interval (ms), kind ("state", "repeat" or "escalation"), time to live (ms).
 */
const CLAIM_SCRIPT = `
local function set(s) local t = {} for fp in string.gmatch(s, '[^,]+') do t[fp] = true end return t end
local function subset(a, b) for k in pairs(a) do if not b[k] then return false end end return true end
local function empty(t) return next(t) == nil end
local firing, resolved = set(ARGV[1]), set(ARGV[2])
local now, interval, kind = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local e = redis.call('HMGET', KEYS[1], 'firing', 'resolved', 'at', 'escalated')
local send, escalated = false, '0'
if not e[3] then
  send = true
else
  local sf, sr = set(e[1] or ''), set(e[2] or '')
  if not subset(firing, sf) then send = true
  elseif empty(firing) and not empty(sf) then send = true
  elseif not subset(resolved, sr) then send = true
  elseif kind == 'escalation' then send = e[4] ~= '1'
  else send = (not empty(firing)) and now - tonumber(e[3]) >= interval end
  if send and kind ~= 'escalation' and subset(firing, sf) and subset(sf, firing) then escalated = e[4] or '0' end
end
if kind == 'escalation' then escalated = '1' end
if send then redis.call('HSET', KEYS[1], 'firing', ARGV[1], 'resolved', ARGV[2], 'at', ARGV[3], 'escalated', escalated) end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if send then return 1 end
return 0
`;

/** What one replica wants to send for a group. @internal */
export interface ClaimRequest {
  key: string;
  /** Fingerprints of the firing alerts of the notification, and of the resolved ones. */
  firing: readonly string[];
  resolved: readonly string[];
  now: number;
  repeatIntervalMs: number;
  kind: 'state' | 'repeat' | 'escalation';
  ttlMs: number;
}

/** True when this replica should send the notification (the fleet has not heard it yet). @internal */
export async function claimNotification(client: Pick<RedisClient, 'eval'>, req: ClaimRequest): Promise<boolean> {
  const won = await client.eval(
    CLAIM_SCRIPT, 1, req.key,
    [...req.firing].sort().join(','), [...req.resolved].sort().join(','),
    String(req.now), String(req.repeatIntervalMs), req.kind, String(req.ttlMs),
  );
  return won === 1;
}
