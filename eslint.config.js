import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

// The layers of src/, lowest first: a folder may import its own layer and those below it, never one above.
// access/ (pure: no I/O) is the bottom; access/load/ reads the database for it.
const above = (...folders) => folders.map((folder) => `./src/${folder}`);
const layers = [
  { target: './src/access/*.ts', from: ['./src/!(access)/**', './src/*.ts', './src/access/load/**'], message: 'access/ is pure: no I/O, no domain imports (DESIGN.md section 8).' },
  { target: './src/db', from: ['./src/!(db)/**', './src/*.ts'], message: 'db/ is storage only.' },
  {
    target: above('http', 'mail', 'audit', 'webhooks', 'accounts'),
    from: above('notifications', 'collaboration', 'environments', 'billing', 'workers'),
    message: 'http, mail, audit, webhooks and accounts sit below the domains that use them.',
  },
  { target: above('notifications'), from: above('collaboration', 'environments', 'billing', 'workers'), message: 'notifications sit below the domains that notify.' },
  { target: above('collaboration'), from: above('environments', 'billing', 'workers'), message: 'collaboration (who may do what) sits below environments and billing.' },
  { target: above('environments'), from: above('billing', 'workers'), message: 'environments sit below billing and workers.' },
  { target: above('billing'), from: above('workers'), message: 'billing sits below workers.' },
  // cli/ is the top: it reaches the server over HTTP only, and only main.ts (which also wires serve and migrate) runs it.
  { target: './src/cli', from: ['./src/!(cli)/**', './src/*.ts'], message: 'cli/ reaches the server over HTTP only, through the OpenAPI-typed client.' },
  { target: ['./src/!(cli)/**', './src/!(main).ts'], from: './src/cli', message: 'cli/ is the top layer: only main.ts runs it.' },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'build', 'web/dist', 'src/db/migrations', 'scratch', 'test-results', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts'], 'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] }, 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
  {
    // Tests read loosely typed JSON answers.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
