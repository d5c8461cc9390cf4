import type { CompiledRule } from './rule-compiler';

/**
 * How long the store keeps each metric (name -> ms): the longest window a rule reads it over
 * (as metric or denominator), or what `extra` asks for, plus two intervals of margin.
 */
export function retentionOf(rules: readonly CompiledRule[], intervalMs: number, extra: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const out = new Map<string, number>();
  const keep = (name: string, ms: number): void => {
    out.set(name, Math.max(out.get(name) ?? 0, ms + 2 * intervalMs));
  };
  for (const { rule } of rules) {
    keep(rule.metric, rule.window);
    if (rule.denominator) keep(rule.denominator, rule.window);
  }
  for (const [name, ms] of extra) keep(name, ms);
  return out;
}
