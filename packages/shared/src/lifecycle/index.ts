export type { Component, ComponentManager } from './component.js';
export { createComponentManager } from './component.js';
export type { Stoppable } from './run-until-signal.js';
export { runUntilSignal } from './run-until-signal.js';
