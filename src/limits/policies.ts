import { DEFAULT_POLICIES } from '../config/schema/default-policies';
import { safeParseAt } from '../config/fast-parse';
import { configErrorMap } from '../config/issue-messages';
import type { PulseguardConfig } from '../config/types';
import type { RateLimitPolicy, RateLimitPolicyInput } from './types';

/**
 * Validates one policy as written and fills its defaults; throws an Error naming the policy when
 * it is invalid (bad config fails fast). Called when a policy is configured, never per decision;
 * a valid policy is checked by the compiled schema, without loading zod.
 */
export function resolvePolicy(name: string, input: RateLimitPolicyInput): RateLimitPolicy {
  const parsed = safeParseAt<RateLimitPolicy>('policy', input, [], { errorMap: configErrorMap });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[name, ...i.path].join('.')}: ${i.message}`);
    throw new Error(`invalid rate-limit policy: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The spec's policies (DEFAULT_POLICIES) merged with the configured ones: a configured policy
 * replaces the default of the same name, `false` removes it, new names add policies.
 */
export function resolvePolicies(config: PulseguardConfig['rateLimits']): Map<string, RateLimitPolicy> {
  const out = new Map<string, RateLimitPolicy>();
  for (const [name, p] of Object.entries(DEFAULT_POLICIES)) out.set(name, resolvePolicy(name, p));
  for (const [name, p] of Object.entries(config.policies)) {
    if (p === false) out.delete(name);
    else out.set(name, resolvePolicy(name, p));
  }
  return out;
}

/** Splits "telegram.messagesSent" into its group ("telegram") and local name ("messagesSent"). */
export function splitPolicyName(name: string): { group: string; local: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { group: 'other', local: name } : { group: name.slice(0, dot), local: name.slice(dot + 1) };
}
