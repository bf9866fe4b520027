import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'runtime/**/*.test.ts', 'host/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // TF.js (the oracle) advertises tfjs-node on every import; it cannot install here
    onConsoleLog: (log) => !log.includes('tfjs-node') && !log.includes('=========='),
  },
});
