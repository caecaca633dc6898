/**
 * The layer rules, checked by `npm run lint:deps` and by test/architecture (in `npm test`).
 * Modelled on Domain-Driven Hexagon's .dependency-cruiser.js.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle (a Nest module forwardRef, or two files that need each other) is a design question left open: find what both sides need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      comment: 'Libraries serve the apps; they never reach into one.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'workflow-is-pure',
      severity: 'error',
      comment: 'libs/workflow imports only xstate and itself: no Nest, no TypeORM, no node built-ins (no clock, no I/O).',
      from: { path: '^libs/workflow/src/' },
      to: { pathNot: ['^libs/workflow/src/', '^node_modules/xstate/'] },
    },
    {
      name: 'common-imports-no-feature',
      severity: 'error',
      comment: 'apps/api/src/common holds what every feature may use; it imports no feature.',
      from: { path: '^apps/api/src/common/' },
      to: { path: '^apps/api/src/', pathNot: '^apps/api/src/common/' },
    },
    {
      name: 'api-not-to-cli',
      severity: 'error',
      comment: 'The API never depends on the command-line tool.',
      from: { path: '^apps/api/' },
      to: { path: '^apps/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.spec\\.ts$', '^dist/', '^node_modules/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
