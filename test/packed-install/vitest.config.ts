import { defineConfig } from 'vitest/config';

// The packed-install test runs on its own (`pnpm test` starts it after the other Node tests):
// packing rebuilds each package's dist, which the other tests' processes may be reading.
export default defineConfig({
  test: {
    include: ['test/packed-install/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
