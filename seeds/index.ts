export * from './iraq-2023.js';
export * from './seed.js';
