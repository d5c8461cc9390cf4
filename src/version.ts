// The package version, kept equal to package.json's by test/dependency-pins.test.ts (a release
// bumps both). A constant instead of reading package.json keeps it correct when bundled.
export const VERSION = '0.1.0';
