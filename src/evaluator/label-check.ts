import { didYouMean } from '../internal/did-you-mean';
import type { CompiledRule } from './rule-compiler';
import type { Labels } from './series-ref';

/**
 * For a metric outside the catalogue, label names can only be checked once the metric is seen: a
 * filter or group-by key that none of its series carries is a typo (it would never match).
 * Returns the problem, naming the closest attribute it has, or undefined when every key is seen.
 */
export function missingLabelProblem(cr: CompiledRule, series: Iterable<{ readonly labels: Labels }>): string | undefined {
  const seen = new Set<string>();
  for (const w of series) for (const k of Object.keys(w.labels)) seen.add(k);
  const missing = [...new Set([...cr.matchers.map((m) => m.key), ...cr.rule.groupBy])].filter((k) => !seen.has(k));
  if (missing.length === 0) return undefined;
  return missing.map((k) => {
    const hint = didYouMean(k, seen);
    return `metric "${cr.rule.metric}" has no attribute "${k}"${hint ? `; did you mean "${hint}"?` : ` (it has: ${[...seen].join(', ') || 'none'})`}`;
  }).join('; ');
}
