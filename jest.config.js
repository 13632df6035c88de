/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // PGlite loads Node built-ins with import(), which jest's CommonJS sandbox cannot run.
    '/node_modules/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/test/helpers/jest-dynamic-import-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  // Two cores here and in CI: keep one for the servers that integration tests start.
  maxWorkers: 2,
  testTimeout: 20000,
};
