/**
 * Annotation templates: `{{value}}`, `{{threshold}}`, `{{severity}}`, `{{alertname}}` and
 * `{{labels.<name>}}` (spaces inside the braces are allowed). A small fixed language, checked
 * when the rule is compiled, so a typo is a start-up error rather than an empty message.
 */

const VAR_RE = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_.]*)\s*\}\}/g;
const PLAIN_VARS = new Set(['value', 'threshold', 'severity', 'alertname']);

/** What a template is rendered with. */
export interface TemplateContext {
  value: number;
  threshold: number;
  severity: string;
  alertname: string;
  labels: Readonly<Record<string, string>>;
}

/** Formats a value the way people read it: up to 4 significant digits, no exponent for usual sizes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** The variables a template uses; problems name unknown ones. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(VAR_RE)].map((m) => m[1]);
}

/**
 * Checks a template against the labels an alert of the rule will carry. Returns problems
 * (unknown variables, labels the alert never has).
 */
export function checkTemplate(template: string, knownLabels: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const v of templateVariables(template)) {
    if (PLAIN_VARS.has(v)) continue;
    if (v.startsWith('labels.')) {
      const label = v.slice('labels.'.length);
      if (!knownLabels.has(label)) problems.push(`{{${v}}}: the alert has no label "${label}" (labels: ${[...knownLabels].sort().join(', ') || 'none'})`);
      continue;
    }
    problems.push(`{{${v}}}: unknown variable (use value, threshold, severity, alertname or labels.<name>)`);
  }
  return problems;
}

/** Renders a template; unknown variables (already reported at compile time) render empty. */
export function renderTemplate(template: string, ctx: TemplateContext): string {
  return template.replace(VAR_RE, (_, v: string) => {
    switch (v) {
      case 'value': return formatValue(ctx.value);
      case 'threshold': return formatValue(ctx.threshold);
      case 'severity': return ctx.severity;
      case 'alertname': return ctx.alertname;
      default: return v.startsWith('labels.') ? (ctx.labels[v.slice(7)] ?? '') : '';
    }
  });
}
