export { RecoveryRegistry } from './recovery-registry';
export { createReconnectProcedure } from './procedures/reconnect-procedure';
export type { ReconnectSteps } from './procedures/reconnect-procedure';
export { createStateRecoveryProcedure } from './procedures/state-recovery-procedure';
export type { StateRecoverySteps } from './procedures/state-recovery-procedure';
export { retryWithBackoff, backoffDelay, sleep } from '../internal/backoff';
export type { BackoffOptions, AttemptInfo } from '../internal/backoff';
export type { RecoveryContext, RecoveryProcedure, RecoveryOutcome, RecoveryRun, RunOptions } from './types';
export { createTelegramReconnectProcedure, createTelegramFailoverProcedure } from './procedures/telegram-procedures';
