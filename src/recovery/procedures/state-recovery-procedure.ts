import type { RecoveryProcedure } from '../types';

/** The spec's state recovery steps as user callbacks, run in this order; each is optional. */
export interface StateRecoverySteps {
  invalidateCache?: () => Promise<void> | void;
  reloadUserData?: () => Promise<void> | void;
  syncTelegramState?: () => Promise<void> | void;
  verifySystemIntegrity?: () => Promise<void> | void;
}

const ORDER = ['invalidateCache', 'reloadUserData', 'syncTelegramState', 'verifySystemIntegrity'] as const;

/** State recovery (the spec's recoverState): cache invalidation, reload, resync, verify. */
export function createStateRecoveryProcedure(steps: StateRecoverySteps): RecoveryProcedure {
  return async (ctx) => {
    for (const name of ORDER) {
      const fn = steps[name];
      if (fn) await ctx.step(name, fn);
    }
  };
}
