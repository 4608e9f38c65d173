/**
 * Build of the web console (Preact + echarts). `npm ci` (prepare), `npm start` and the browser tests
 * build it into console/dist (gitignored); the local stack serves that folder at `/`, and in AWS it is
 * uploaded to the console bucket behind CloudFront (infra/constructs/console.ts).
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // One bundle for the app, one for echarts (cached separately, changes rarely).
    rollupOptions: { output: { manualChunks: (id: string) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'charts' : undefined) } },
    chunkSizeWarningLimit: 900,
  },
  logLevel: 'warn',
});
