import type { PulseguardConfig } from '../../config/types';
import { RecoveryRegistry } from '../../recovery/recovery-registry';
import { createTelegramReconnectProcedure, createTelegramFailoverProcedure } from '../../recovery/procedures/telegram-procedures';
import { defineArea } from '../area';

/** Recovery procedures, run by rules or by hand; the Telegram ones when that area runs. */
export const recoveryArea = defineArea({
  name: 'recovery',
  settings: (c: PulseguardConfig) => c.recovery,
  create(ctx) {
    const recovery = new RecoveryRegistry(ctx.config, ctx.logger, () => ctx.clock.now());
    const telegram = ctx.handle('telegram');
    if (telegram) {
      recovery.register('telegram.reconnect', createTelegramReconnectProcedure(telegram));
      recovery.register('telegram.failover', createTelegramFailoverProcedure(telegram));
    }
    return { handle: recovery };
  },
});
