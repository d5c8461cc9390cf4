/**
 * pulseguard: OpenTelemetry instrumentation for Node.js realtime services.
 *
 * ```ts
 * import { start, defineConfig } from 'pulseguard';
 * const telemetry = await start(defineConfig({ service: { name: 'chat-gateway' } }));
 * ```
 */
export { start, getTelemetry } from './telemetry/index';
export type { Telemetry } from './telemetry/index';
export { defineConfig, ConfigError, validateConfig, resolveConfig, DEFAULT_POLICIES } from './config/index';
export type { PulseguardConfig, PulseguardConfigInput, Rule, RuleInput, ConfigProblem } from './config/index';
export { createLogger, registerSecret } from './logging/index';
export type { Logger, LoggerConfig } from './logging/index';
export { VERSION } from './version';
export { describeEffectiveRules, buildDefaultRules } from './evaluator/index';
export type { Alert, AlertsApi, AlertEventName, RuleStatus, ReportOptions, PerformanceReport } from './evaluator/index';
