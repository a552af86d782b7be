export * from './start-service.js';
export * from './platform.js';
export * from './tcp-proxy.js';
export * from './waiting.js';
