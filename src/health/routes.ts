// The health endpoints by path: a leaf of constants, so the framework adapters (src/adapters) can
// declare the routes without loading the health area.

/** Every endpoint, by its path relative to where the handler is mounted. */
export const HEALTH_ROUTES = {
  '/health': 'health',
  '/health/detailed': 'detailed',
  '/health/websocket': 'websocket',
  '/health/telegram': 'telegram',
  '/health/rate-limits': 'rate-limits',
  '/livez': 'livez',
  '/readyz': 'readyz',
} as const;

/** One endpoint. */
export type HealthRoute = (typeof HEALTH_ROUTES)[keyof typeof HEALTH_ROUTES];
