export * from './coarsening/index.js';
export * from './extraction/index.js';
export * from './redaction/index.js';
