export * from './schema.js';
export * from './presets.js';
export * from './resolve.js';
export * from './channels.js';
export * from './decide.js';
