/** One sample of a Prometheus text exposition. */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

function unescapeLabel(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/**
 * Parses the samples of a Prometheus text exposition (format 0.0.4, what /metrics serves):
 * comments and blank lines are skipped, timestamps ignored. Throws on a line that is not a
 * sample, naming it, so a page that is not an exposition is reported as such.
 */
export function parseExposition(text: string): ExpositionSample[] {
  const out: ExpositionSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new SyntaxError(`not a Prometheus exposition line: ${line.slice(0, 80)}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      LABEL.lastIndex = 0;
      let l: RegExpExecArray | null;
      while (LABEL.lastIndex < m[3].length && (l = LABEL.exec(m[3])) !== null) labels[l[1]] = unescapeLabel(l[2]);
      if (LABEL.lastIndex < m[3].length && m[3].slice(LABEL.lastIndex).trim() !== '') {
        throw new SyntaxError(`not a Prometheus exposition line: ${line.slice(0, 80)}`);
      }
    }
    out.push({ name: m[1], labels, value: parseValue(m[4]) });
  }
  return out;
}
