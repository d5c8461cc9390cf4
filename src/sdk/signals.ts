import type { Logger } from '../logging/logger';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Opt-in (shutdown.handleSignals): on SIGTERM/SIGINT run `shutdown`, then re-raise the signal with
 * our handler removed, so the process ends exactly as Node would have ended it. Returns a remover.
 */
export function installSignalHandlers(shutdown: () => Promise<void>, logger: Logger): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    remove();
    logger.info({ signal }, 'signal received; shutting down pulseguard');
    shutdown()
      .catch((err: unknown) => logger.error({ err }, 'shutdown failed'))
      .finally(() => process.kill(process.pid, signal));
  };
  const remove = (): void => {
    for (const s of SIGNALS) process.removeListener(s, handler);
  };
  for (const s of SIGNALS) process.once(s, handler);
  return remove;
}
