export * from './provider.js';
export * from './browser.js';
export * from './github-server.js';
