import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { PulseguardConfig } from '../config/types';

// Not yet stable in semantic-conventions 1.45; copied in.
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id' as const;
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name' as const;

/** The resource every metric and span carries: service name, version, instance (and environment). */
export function createServiceResource(service: PulseguardConfig['service']): Resource {
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: service.name,
    [ATTR_SERVICE_VERSION]: service.version,
    [ATTR_SERVICE_INSTANCE_ID]: service.instanceId,
    ...(service.environment ? { [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: service.environment } : {}),
  });
}
