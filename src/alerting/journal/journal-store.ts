/** Where the alert journal's text lives: a file, or a Redis key. */
export interface JournalStore {
  /** For log lines: the file path or the Redis key. */
  readonly where: string;
  /** The last text written, or undefined when there is none yet. */
  read(): Promise<string | undefined>;
  /** Replaces the text as one step: a reader sees the old text or the new one, never a mix. */
  write(text: string): Promise<void>;
  /**
   * The same, before a crash exit returns to the event loop: a file is written synchronously;
   * Redis can only be sent the command (best effort: the process may exit before it lands).
   */
  writeNow(text: string): void;
}
