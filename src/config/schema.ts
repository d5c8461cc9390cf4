import { z } from 'zod/v3';
import { serviceSchema, loggingSchema, errorsSchema, shutdownSchema } from './schema/service';
import { exportersSchema } from './schema/exporters';
import { instrumentationsSchema } from './schema/instrumentations';
import { thresholdsSchema } from './schema/thresholds';
import { alertingSchema, recoverySchema } from './schema/alerting';
import { rateLimitsSchema, healthSchema } from './schema/rate-limits';
import { rulesSchema } from './schema/rules';
import { refineWith } from './schema/common';

/**
 * The whole pulseguard configuration. Unknown keys are errors, so typos surface at start.
 *
 * Every schema here and in ./schema/ is a factory: the schema is garbage once the config is
 * validated, and zod 3 objects bind ~24 methods each, so keeping it would retain ~1.3 MB for the
 * process' life (issue #17). Build it where it is used; never keep an instance at module level.
 */
export const configSchema = () => refineWith(z
  .object({
    service: serviceSchema(),
    logging: loggingSchema(),
    exporters: exportersSchema(),
    instrumentations: instrumentationsSchema(),
    thresholds: thresholdsSchema(),
    rules: rulesSchema(),
    alerting: alertingSchema(),
    recovery: recoverySchema(),
    rateLimits: rateLimitsSchema(),
    health: healthSchema(),
    errors: errorsSchema(),
    shutdown: shutdownSchema(),
  })
  .strict(),
  // Fleet de-duplication keeps its state in the limiter's Redis: without it there is no fleet to agree with.
  'fleetNeedsRedis', {
    message: 'alerting.fleet needs rateLimits.store "redis" (the replicas agree through the rate limiter\'s Redis); set rateLimits.store and rateLimits.redisUrl, or turn alerting.fleet.enabled off',
    path: ['alerting', 'fleet', 'enabled'],
  });
