import type { Component, ComponentContext } from './types';

/**
 * Every pulseguard component start() builds, in start order (shutdown runs in reverse).
 * Add a factory here when a new area (health, evaluator, alerting, instrumentations) lands.
 */
export const componentFactories: ReadonlyArray<(ctx: ComponentContext) => Component | undefined> = [];
