// Plain data in a module without zod (the limiter and the default rules read it at start); every
// entry is checked against policySchema by test/src/config/schema-ir.test.ts.
const p = (points: number, durationMs: number, extra: { maxSizeBytes?: number; mode?: 'reject' | 'queue'; onStoreError?: 'allow' | 'deny' } = {}) => ({ points, durationMs, ...extra });

/** The specification's rate limits, keyed by policy name. */
export const DEFAULT_POLICIES = {
  'telegram.messagesSent': p(30, 60_000, { mode: 'queue' }),
  'telegram.messagesPerChat': p(20, 60_000, { mode: 'queue' }),
  'telegram.mediaUploads': p(10, 60_000, { maxSizeBytes: 50 * 1024 * 1024, mode: 'queue' }),
  'telegram.channelInvites': p(50, 24 * 60 * 60_000, { mode: 'queue' }),
  'api.standard': p(100, 60_000),
  // Fail closed: an in-process fallback starting at zero would grant fresh login attempts.
  'api.auth': p(5, 15 * 60_000, { onStoreError: 'deny' }),
  'websocket.messages': p(100, 60_000, { maxSizeBytes: 4 * 1024 }),
  'websocket.newConnections': p(100, 60_000),
  // New-error-group alerts (src/errors): a burst of distinct errors must not page 1,000 times.
  'errors.newGroupAlerts': p(10, 60 * 60_000),
} as const;
