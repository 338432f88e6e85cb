import { defineConfig } from 'vitest/config';

// The Express example's browser test (Chromium): `pnpm exec vitest run --config examples/hono/vitest.e2e.config.ts`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['examples/hono/test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
