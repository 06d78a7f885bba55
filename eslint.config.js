// Lint rules that carry the architecture: the engine knows nothing of the model,
// and the model draws time and randomness only from the simulation.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '!../engine/*'], message: 'src/engine/ imports nothing else from src/.' }],
      }],
    },
  },
);
