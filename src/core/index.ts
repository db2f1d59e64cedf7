export * from './content.js';
export * from './request.js';
export * from './usage.js';
export * from './warning.js';
export * from './stream-event.js';
export * from './response.js';
export * from './gateway-error.js';
