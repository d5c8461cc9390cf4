export { start } from './start';
export { getTelemetry } from './active-telemetry';
export type { Telemetry } from './telemetry';
export type { Component, ComponentContext } from './types';
