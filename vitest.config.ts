import { defineConfig } from 'vitest/config';

// Node-side tests of every package. Workspace packages resolve to their
// TypeScript sources (the `source` export condition), so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: [
      'test/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'packages/widget/test-node/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'packages/widget/test/**', 'examples/*/test/e2e/**'],
    // A real PostgreSQL and Redis, started once for the run (skipped with one line when not installed).
    globalSetup: ['packages/server-kit/test/services/global-setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
