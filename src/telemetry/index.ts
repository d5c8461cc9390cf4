export { start, getTelemetry } from './start';
export type { Telemetry } from './telemetry';
export type { Component, ComponentContext } from './types';
