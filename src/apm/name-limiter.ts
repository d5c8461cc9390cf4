import { OTHER_NAME } from './semconv';
import { redactString } from '../logging/redaction';

const MAX_NAME_LENGTH = 128;

/**
 * A name as given, redacted and cut to 128 characters (`_other` for a non-string or empty one). Span names use
 * it directly: the cardinality bound below is for metric attributes only, a span keeps its name.
 *
 * @internal
 */
export function cutName(name: unknown): string {
  // Redacted before it is cut (a cut secret no longer matches): a name built from a URL or a
  // message can hold an e-mail or a token, and it becomes a span name and a metric attribute.
  return typeof name === 'string' && name.length > 0 ? redactString(name.length > 4096 ? name.slice(0, 4096) : name).slice(0, MAX_NAME_LENGTH) : OTHER_NAME;
}

/**
 * Keeps metric attribute values bounded: the first `max` distinct names pass, every later one
 * becomes `_other`, with one warning the first time. Names are strings cut to 128 characters.
 *
 * @internal
 */
export class NameLimiter {
  private readonly known = new Set<string>();
  private warned = false;

  constructor(
    private readonly kind: string,
    private readonly max: number,
    private readonly warn: (obj: Record<string, unknown>, msg: string) => void,
  ) {}

  /** The metric attribute value to record for `name`. */
  resolve(name: unknown): string {
    const n = cutName(name);
    if (this.known.has(n)) return n;
    if (this.known.size < this.max) {
      this.known.add(n);
      return n;
    }
    if (!this.warned) {
      this.warned = true;
      this.warn({ kind: this.kind, max: this.max }, `more than ${this.max} distinct ${this.kind} names; further names are recorded as "${OTHER_NAME}"`);
    }
    return OTHER_NAME;
  }
}
