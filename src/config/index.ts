export { configSchema } from './schema';
export { ConfigError, validateConfig, resolveConfig, defineConfig } from './validate';
export { parseDuration, ruleSchema, STATISTICS } from './schema/rules';
export { DEFAULT_POLICIES, policySchema } from './schema/rate-limits';
export { CHANNEL_NAMES } from './schema/alerting';
export type { PulseguardConfig, PulseguardConfigInput, Rule, RuleInput, ConfigProblem } from './types';
