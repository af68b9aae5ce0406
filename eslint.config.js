import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.ci/out/**', 'dist/**', 'src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Library code must take time and randomness from the injected Clock and seeded generator.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Use the injected Clock (clock.now()), not Date.now().',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Use the seeded generator, not Math.random().',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@faker-js/faker', importNames: ['faker'], message: 'Use the seeded Faker instance.' },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's browser script (served inline by src/http/admin/dashboard-route.ts): polling
    // on the browser's own timers is its job, so the wall-clock rule does not apply.
    files: ['src/dashboard/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        URLSearchParams: 'readonly',
        Node: 'readonly',
        Intl: 'readonly',
      },
    },
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The edges that own the wall clock: the real clock, the CLI, benchmarks and tests.
    files: [
      'src/core/clock*.ts',
      'src/clock/**',
      'src/cli/**',
      'bench/**',
      'test/**',
      'scripts/**',
      'bin/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
