export { Evaluator, resetEvaluatorState } from './evaluator';
export type { EvaluatorOptions, EvaluatorLogger, EvaluatorState } from './evaluator';
export { createEvaluatorArea, DISABLED_ALERTS } from './evaluator-area';
export type { EvaluatorArea, EvaluatorAreaOptions } from './evaluator-area';
export { compileRules, parseMatcher } from './rule-compiler';
export type { CompiledRule, CompileResult, Matcher } from './rule-compiler';
export { AlertEvents } from './alert-events';
export { renderTemplate } from './templates';
export type {
  Alert, AlertState, AlertEventName, AlertListener, AlertsApi, Severity, RuleHealth, RuleStatus, Rule, RuleInput,
} from './types';
