/**
 * The module graph Warden keeps (docs/architecture.md): a tree, checked by `npm run lint`.
 * Type-only imports count (tsPreCompilationDeps), so a cycle cannot hide behind `import type`.
 */
const MODULE_LAYERS = [
  // Each layer may import only the layers listed before it (platform is layer 0, outside src/modules).
  ['manifest', 'keys', 'audit', 'outbox', 'guards'],
  ['policy', 'artifacts'],
  ['identity', 'signing', 'scanning'],
  ['registry'],
  ['attestations', 'webhooks'],
  ['deploy'],
  ['gateway'],
  ['monitor'],
];

/** One rule per module: it may not import a module on its own layer or below it. */
const layerRules = MODULE_LAYERS.flatMap((layer, index) =>
  layer.map((name) => {
    const sameOrLower = MODULE_LAYERS.slice(index)
      .flat()
      .filter((other) => other !== name);
    return {
      name: `layer-${name}`,
      comment: `${name} imports only modules above it in the tree (docs/architecture.md, Module graph).`,
      severity: 'error',
      from: { path: `^src/modules/${name}/` },
      to: { path: `^src/modules/(${sameOrLower.join('|')})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'src/ is a tree: no import cycle, not even inside a module.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'modules-stay-inside',
      comment: 'Modules say what Warden does; transport, persistence and wiring live outside them.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(http|cli|adapters|config)/|^src/(container|server)\\.ts$' },
    },
    {
      name: 'modules-no-frameworks',
      comment: 'No Fastify, Kysely or database driver in a module: adapters implement its ports.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        path: '(^|/)node_modules/(fastify|@fastify/[^/]+|kysely|pg|better-sqlite3)/',
      },
    },
    {
      name: 'module-through-index',
      comment: 'A module reaches another only through its index.ts (its public surface).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'platform-is-the-root',
      comment: 'platform is the shared kernel: it imports no module, adapter or transport.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|adapters|http|cli|config)/|^src/(container|server)\\.ts$' },
    },
    ...layerRules,
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
