/**
 * One suite, three folders: test/unit (pure logic), test/integration (real PostgreSQL, the
 * replay source over HTTP, Trino) and test/e2e (the deployed stack on MiniStack).
 * The global setup starts one real PostgreSQL server; each test file gets its own database.
 */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': 'ts-jest',
    '^.+\\.sql$': '<rootDir>/test/helpers/sql-transform.js',
  },
  moduleFileExtensions: ['ts', 'js', 'json', 'sql'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/env.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
