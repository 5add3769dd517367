
export * from './format.js';
export * from './clock.js';
export * from './rel-time.js';
export * from './chip.js';
export * from './claim-chip.js';
export * from './queue-row.js';
export * from './queue-list.js';
export * from './timeline.js';
export * from './composer.js';
export * from './resolve-form.js';
export * from './thread-view.js';
export * from './connection.js';
export * from './panel.js';
export * from './snooze-control.js';
export * from './alert-settings.js';
