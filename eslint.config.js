// Lint rules that carry the architecture: the layers of src/ import only downwards (the
// engine knows nothing of the model), and the model draws time and randomness only from
// the simulation. docs/architecture.md draws the layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first. A folder may import from folders of lower layers only
 * (and from itself); `pipeline` is src/pipeline.ts, the orchestrator.
 */
const LAYERS = [
  ['engine', 'input', 'limits'],
  ['topology'],
  ['coherence', 'scheduler', 'models'],
  ['kernel'],
  ['launch', 'lock-bench', 'validation'],
  ['scenario'],
  ['analysis'],
  ['charts'],
  ['workloads'],
  ['report'],
  ['sweep'],
  ['pipeline'],
  ['check'],
  ['study', 'bench'],
  ['cli'],
];

function forbiddenFor(folder) {
  const level = LAYERS.findIndex((layer) => layer.includes(folder));
  return LAYERS.flatMap((layer, index) => (index < level ? [] : layer)).filter((other) => other !== folder);
}

/** Folders whose index.ts is their public surface: everything outside imports that, never a module inside. */
const ENTRY_POINTS = ['engine', 'kernel', 'topology', 'launch', 'lock-bench'];

function layerRule(folder) {
  const upward = forbiddenFor(folder).map((other) => (other === 'pipeline' ? '**/pipeline.js' : `**/${other}/**`));
  const inside = ENTRY_POINTS.filter((other) => other !== folder).flatMap((other) => [`**/${other}/*`, `!**/${other}/index.js`]);
  return {
    files: folder === 'pipeline' ? ['src/pipeline.ts'] : [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: upward, message: `src/${folder} imports only from lower layers (see LAYERS in eslint.config.js and docs/architecture.md).` },
          { group: inside, message: 'Import a model layer through its index.ts, its public surface.' },
        ].filter((pattern) => pattern.group.length > 0),
      }],
    },
  };
}

const modelBans = [
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Use a named random stream from the simulation (engine/random.ts).' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No wall-clock reads in the model: use simulated time.' },
  { selector: "NewExpression[callee.name='Date']", message: 'No wall-clock reads in the model: use simulated time.' },
  { selector: "MemberExpression[object.name='performance'][property.name='now']", message: 'No wall-clock reads in the model: use simulated time.' },
];

export default tseslint.config(
  { ignores: ['.tmp/**', 'dist/**', 'node_modules/**', 'reports/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/bench/**', 'src/sweep/**', 'src/report/**'],
    rules: { 'no-restricted-syntax': ['error', ...modelBans] },
  },
  ...LAYERS.flat().map(layerRule),
);
