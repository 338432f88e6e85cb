import { defineConfig } from 'vite';

// One ESM file with Lit inside, served as /paydo-checkout.js. It is meant for
// browsers, not for re-bundling, so whitespace is minified too (lib mode alone keeps it).
export default defineConfig({
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'paydo-checkout.js' },
    target: 'es2022',
    sourcemap: true,
    minify: true,
    rolldownOptions: { output: { minify: true } },
  },
});
