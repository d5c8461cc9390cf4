import type { PulseguardConfig } from '../config/types';
import type { ErrorEvent, ErrorTrackerOptions } from './types';

/** The error tracker's options from the resolved configuration (`errors` and `service`). @internal */
export function errorTrackerOptions(config: PulseguardConfig, onNewGroup: (e: ErrorEvent) => void): ErrorTrackerOptions {
  const e = config.errors;
  const options: ErrorTrackerOptions = {
    maxGroups: e.maxGroups, samplesPerGroup: e.samplesPerGroup, rules: e.rules, maxBreadcrumbs: e.maxBreadcrumbs,
    release: config.service.version, onNewGroup,
  };
  if (config.service.environment !== undefined) options.environment = config.service.environment;
  if (e.beforeSend) options.beforeSend = e.beforeSend;
  return options;
}
