import { defineConfig } from 'vite';

// `@paydo-checkout/widget/testing`: the end-to-end test driver, for Node (Playwright, puppeteer…),
// built to its own file beside the browser bundle, which never imports it. Not minified: its
// functions run in the page as their source text, and a merchant reads its stack traces.
export default defineConfig({
  build: {
    lib: { entry: 'src/testing/index.ts', formats: ['es'], fileName: () => 'testing.js' },
    target: 'node22',
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
  },
});
