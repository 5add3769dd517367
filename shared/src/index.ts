export * from './contract/config.js';
export * from './contract/booking.js';
export * from './contract/plivo.js';
export * from './contract/model.js';
export * from './contract/api.js';
export * from './contract/events.js';
export * from './domain/index.js';
export * from './contract/desk.js';
