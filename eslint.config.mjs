// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'src/admin-ui/public/**', '**/*.mjs', '**/*.js'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  {
    rules: {
      // A leading underscore marks a binding left out on purpose (`const { secret: _secret, ...shown } = row`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Findings still to review one by one (17 on 2026-12-07; `npm run lint` lists them as warnings):
    // String() of values typed unknown, `any` and `Function` from class-validator's and Swagger's metadata.
    rules: {
      '@typescript-eslint/no-base-to-string': 'warn',
      '@typescript-eslint/restrict-template-expressions': 'warn',
      '@typescript-eslint/no-unsafe-assignment': 'warn',
      '@typescript-eslint/no-unsafe-argument': 'warn',
      '@typescript-eslint/no-unsafe-return': 'warn',
      '@typescript-eslint/no-unsafe-function-type': 'warn',
      '@typescript-eslint/no-unsafe-enum-comparison': 'warn',
      '@typescript-eslint/no-redundant-type-constituents': 'warn',
      '@typescript-eslint/no-unnecessary-type-assertion': 'warn',
    },
  },
  {
    // Tests and the bench read answers through supertest and fetch, whose bodies are `any` by design;
    // each test asserts the shape it expects with `expect`, so the rules about using `any` values stay off here.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Probes given to `eventually`, the sinks' replies and Fastify handlers return promises by contract, awaited or not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Fakes in the unit specs implement async interfaces without awaiting anything.
    files: ['src/**/*.spec.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
);
