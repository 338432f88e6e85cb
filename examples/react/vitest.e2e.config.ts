import { defineConfig } from 'vitest/config';

// End-to-end: the React page rendered on the server, hydrated in Chromium (React 19 and 18),
// paying through the server kit on the sandbox.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['examples/react/test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
