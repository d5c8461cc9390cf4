import type { ConfigProblem } from '../config/types';
import { KNOWN_METRICS, type KnownMetric } from '../metrics/known-metrics';
import { didYouMean } from '../internal/did-you-mean';
import { checkTemplate } from './templates';
import type { Labels } from './series-ref';
import type { Rule, Severity } from './types';

/** One label matcher, PromQL style. A missing label matches as the empty string, as in PromQL. */
export interface Matcher {
  readonly key: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  test(labels: Labels): boolean;
}

/** A rule resolved against the known metrics, ready to evaluate. */
export interface CompiledRule {
  readonly rule: Rule;
  readonly matchers: readonly Matcher[];
  readonly denominatorMatchers: readonly Matcher[];
  /** Levels to check, critical first. */
  readonly levels: readonly { severity: Severity; level: number }[];
  /** Labels every alert of this rule carries (rule labels; group-by labels are added per series). */
  readonly staticLabels: Readonly<Record<string, string>>;
}

/** Parses "v", "!=v", "=~re", "!~re" into a matcher; throws on a bad regex. */
export function parseMatcher(key: string, spec: string): Matcher {
  let op: Matcher['op'] = '=';
  let value = spec;
  for (const candidate of ['!=', '=~', '!~'] as const) {
    if (spec.startsWith(candidate)) {
      op = candidate;
      value = spec.slice(2);
      break;
    }
  }
  if (op === '=~' || op === '!~') {
    const re = new RegExp(`^(?:${value})$`);
    const neg = op === '!~';
    return { key, op, value, test: (l) => re.test(l[key] ?? '') !== neg };
  }
  const neg = op === '!=';
  return { key, op, value, test: (l) => ((l[key] ?? '') === value) !== neg };
}

/** True when every matcher accepts the labels. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) if (!m.test(labels)) return false;
  return true;
}

/** What {@link compileRules} returns: rules that compiled, hard problems and soft warnings. */
export interface CompileResult {
  compiled: CompiledRule[];
  problems: ConfigProblem[];
  warnings: string[];
}

function checkMetric(name: string, path: string, observed: ReadonlySet<string>, out: CompileResult): KnownMetric | undefined {
  const known = KNOWN_METRICS[name];
  if (known || observed.has(name)) return known;
  const suggestion = didYouMean(name, [...Object.keys(KNOWN_METRICS), ...observed]);
  if (suggestion) out.problems.push({ path, message: `unknown metric "${name}"; did you mean "${suggestion}"?` });
  else out.warnings.push(`${path}: metric "${name}" is not in the catalogue and has not been reported yet; the rule reports no data until it appears`);
  return undefined;
}

function checkLabelKeys(keys: Iterable<string>, metric: string, known: KnownMetric | undefined, path: string, out: CompileResult): void {
  if (!known) return;
  for (const k of keys) {
    if (known.attributes.includes(k)) continue;
    const suggestion = didYouMean(k, known.attributes);
    out.problems.push({
      path,
      message: `metric "${metric}" has no attribute "${k}"${suggestion ? `; did you mean "${suggestion}"?` : ` (it has: ${known.attributes.join(', ') || 'none'})`}`,
    });
  }
}

function compileMatchers(filter: Record<string, string> | undefined, path: string, out: CompileResult): Matcher[] {
  const matchers: Matcher[] = [];
  for (const [k, spec] of Object.entries(filter ?? {})) {
    try {
      matchers.push(parseMatcher(k, spec));
    } catch (err) {
      out.problems.push({ path: `${path}.${k}`, message: `invalid regular expression: ${(err as Error).message}` });
    }
  }
  return matchers;
}

/**
 * Validates rules against the metric catalogue and the names seen so far: a metric name or an
 * attribute close to a known one is a typo (a problem, with "did you mean"); a metric nobody has
 * heard of yet is a warning (it may be the application's own, created later).
 */
export function compileRules(rules: readonly Rule[], observed: ReadonlySet<string> = new Set(), pathPrefix = 'rules'): CompileResult {
  const out: CompileResult = { compiled: [], problems: [], warnings: [] };
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const path = `${pathPrefix}[${i}:${rule.name}]`;
    const before = out.problems.length;
    if (seen.has(rule.name)) out.problems.push({ path: `${path}.name`, message: `duplicate rule name "${rule.name}"` });
    seen.add(rule.name);
    const known = checkMetric(rule.metric, `${path}.metric`, observed, out);
    checkLabelKeys([...Object.keys(rule.filter), ...rule.groupBy], rule.metric, known, `${path}.filter`, out);
    if (rule.denominator !== undefined) {
      const kd = checkMetric(rule.denominator, `${path}.denominator`, observed, out);
      checkLabelKeys([...Object.keys(rule.denominatorFilter ?? {}), ...rule.groupBy], rule.denominator, kd, `${path}.denominatorFilter`, out);
    }
    const matchers = compileMatchers(rule.filter, `${path}.filter`, out);
    const denominatorMatchers = compileMatchers(rule.denominatorFilter, `${path}.denominatorFilter`, out);
    if (rule.warning !== undefined && rule.critical !== undefined) {
      const above = rule.comparison === '>' || rule.comparison === '>=';
      if (above ? rule.critical < rule.warning : rule.critical > rule.warning) {
        out.problems.push({ path: `${path}.critical`, message: `critical (${rule.critical}) is ${above ? 'below' : 'above'} warning (${rule.warning}) for comparison "${rule.comparison}"` });
      }
    }
    const labelNames = new Set([...rule.groupBy, ...Object.keys(rule.labels), 'alertname', 'severity']);
    for (const [name, template] of Object.entries(rule.annotations)) {
      for (const message of checkTemplate(template, labelNames)) out.problems.push({ path: `${path}.annotations.${name}`, message });
    }
    if (out.problems.length > before) return;
    const levels: { severity: Severity; level: number }[] = [];
    if (rule.critical !== undefined) levels.push({ severity: 'critical', level: rule.critical });
    if (rule.warning !== undefined) levels.push({ severity: 'warning', level: rule.warning });
    out.compiled.push({ rule, matchers, denominatorMatchers, levels, staticLabels: { ...rule.labels } });
  });
  return out;
}
