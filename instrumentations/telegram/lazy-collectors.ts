import type * as CollectorsModule from './collectors';

/**
 * The process-wide Telegram collectors, loaded on first use: with GramJS (its patches record into
 * them), a report, or an account alias. An app that never loads GramJS does not load their nine
 * modules nor register their metric families, which would report no series anyway.
 */
export function lazyTelegramCollectors(): CollectorsModule.TelegramCollectors {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./collectors') as typeof CollectorsModule).telegramCollectors();
}
