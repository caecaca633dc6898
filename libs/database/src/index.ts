export * from './entities/index.js';
export * from './naming.strategy.js';
export * from './data-source.js';
export * from './embedded-postgres.js';
export * from './database-runtime.js';
export * from './prepared.js';
export * from './sql-literal.js';
