export { buildDefaultRules, specRules } from './default-rules';
export { describeEffectiveRules, describeRule } from './describe-rules';
export type { DefaultRulesOptions } from './types';
