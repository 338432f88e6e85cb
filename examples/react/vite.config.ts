import { defineConfig } from 'vite';

// Two builds: the browser bundle (dist/client/assets/client.js and its chunks; the element's
// module is a chunk of its own, loaded after hydration) and, with --ssr, the server render
// (dist/server/render.js) that src/main.ts serves.
export default defineConfig(({ isSsrBuild }) => ({
  build: isSsrBuild
    ? { outDir: 'dist/server', emptyOutDir: true, rolldownOptions: { input: 'src/render.tsx' } }
    : {
        outDir: 'dist/client',
        emptyOutDir: true,
        rolldownOptions: {
          input: 'src/client.tsx',
          output: { entryFileNames: 'assets/client.js', chunkFileNames: 'assets/[name]-[hash].js' },
        },
      },
}));
