import { defineConfig } from 'vite';

// One ESM file with Lit inside: a merchant serves it as /paydo-checkout.js.
export default defineConfig({
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'paydo-checkout.js' },
    target: 'es2022',
    sourcemap: true,
    emptyOutDir: true,
  },
});
