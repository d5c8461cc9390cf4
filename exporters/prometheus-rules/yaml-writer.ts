/**
 * A small deterministic YAML writer for the shapes the generators emit (objects, arrays,
 * strings, numbers, booleans). Every string is written double-quoted with JSON escapes, which is
 * valid YAML, so no value (PromQL, templates with braces, "1m") can be misread as another type.
 */

/** A value the writer can write. */
export type YamlValue = string | number | boolean | null | undefined | readonly YamlValue[] | { readonly [k: string]: YamlValue };

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
    return String(v);
  }
  return v ? 'true' : 'false';
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
}

function isObject(v: YamlValue): v is { readonly [k: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: YamlValue): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.values(v).every((x) => x === undefined));
}

function emptyOf(v: YamlValue): string {
  return Array.isArray(v) ? '[]' : '{}';
}

function lines(v: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v as readonly YamlValue[]) {
      if ((isObject(item) || Array.isArray(item)) && !isEmpty(item)) {
        const sub: string[] = [];
        lines(item, `${indent}  `, sub);
        out.push(`${indent}- ${sub[0].slice(indent.length + 2)}`, ...sub.slice(1));
      } else {
        out.push(`${indent}- ${isObject(item) || Array.isArray(item) ? emptyOf(item) : scalar(item as string | number | boolean | null)}`);
      }
    }
    return;
  }
  if (isObject(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) continue;
      if ((isObject(val) || Array.isArray(val)) && !isEmpty(val)) {
        out.push(`${indent}${key(k)}:`);
        lines(val, Array.isArray(val) ? indent : `${indent}  `, out);
      } else {
        out.push(`${indent}${key(k)}: ${isObject(val) || Array.isArray(val) ? emptyOf(val) : scalar(val as string | number | boolean | null)}`);
      }
    }
  }
}

/** Serialises a value as a YAML document (block style, 2-space indent, trailing newline). */
export function toYaml(value: YamlValue): string {
  const out: string[] = [];
  lines(value, '', out);
  return `${out.join('\n')}\n`;
}
