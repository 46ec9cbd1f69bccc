/** One config for both databases: test/support/test-app.ts picks the embedded PostgreSQL or DATABASE_URL. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // End-to-end tests in test/, fast unit specs of pure rules next to their code in src/.
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    // @fastify/static requires content-disposition 3, which is ESM-only: Node 20.19+ loads it, but
    // Jest's module runtime refuses to require() it. Version 2 is CommonJS with the same API;
    // tests use it instead.
    '^content-disposition$': 'content-disposition-cjs',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'json', 'node'],
  testTimeout: 30000,
  maxWorkers: 2,
};
