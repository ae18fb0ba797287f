/** @jest-config-loader esbuild-register */
// TypeScript 7 has no JS compiler API, so Jest's default loader for a .ts config (ts-node) cannot work.
import type { Config } from 'jest';

const transform: Config['transform'] = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

// Tests import sibling packages from their sources, so no build is needed between an edit and a test run.
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper: { '^@patchpanel/([^/]+)$': '<rootDir>/packages/$1/src' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const config: Config = {
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
  // A per-project timeout is ignored by Jest. Integration tests start daemons and namespaces on a loaded
  // 2-core machine; this is a bound against hangs, not a performance check.
  testTimeout: 60_000,
  projects: [
    // Pure logic: runs anywhere, no root, no network.
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/packages/*/test/unit/**/*.test.ts'] },
    // Real kernel: root, network namespaces built by @patchpanel/testbed.
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/packages/*/test/integration/**/*.test.ts'],
    },
  ],
};

export default config;
