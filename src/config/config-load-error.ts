/**
 * The configuration could not be read at all (file missing, unparsable, ambiguous, failing
 * when evaluated). Invalid *content* is a {@link ConfigError} instead.
 */
export class ConfigLoadError extends Error {
  override readonly name = 'ConfigLoadError';
  constructor(
    message: string,
    /** The file involved, when there is one. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
