// Jest in native ESM mode (Nest 12 is ESM-only): swc transforms TypeScript with legacy decorators
// and metadata; relative `.js` specifiers and `@app/*` aliases are mapped back to the sources.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      // JSON modules keep their `with { type: 'json' }` (Node and Jest want it).
      experimental: { keepImportAttributes: true },
      target: 'es2023',
    },
    module: { type: 'es6' },
  },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@app/(workflow|database|config)$': '<rootDir>/libs/$1/src/index.ts',
    '^@app/(migrations|seeds)$': '<rootDir>/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 60000,
  // Jest's default (cores − 1) is a single worker on CI's two cores, i.e. every file in band. The e2e
  // files spend most of their time waiting (database, child processes, Chromium, timers), so one
  // worker per core keeps both busy (docs/testing.md has the figures).
  maxWorkers: '100%',
};
