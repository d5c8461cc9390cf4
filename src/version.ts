// Generated from package.json by scripts/gen-version.mjs; checked by test/src/version.test.ts.
export const VERSION = '0.1.0';
