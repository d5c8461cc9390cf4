export { createLogger } from './logger';
export type { Logger, LoggerConfig } from './logger';
export { redactDeep, redactString, registerSecret, isSecretKey, CENSOR } from './redaction';
