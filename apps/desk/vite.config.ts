import { defineConfig } from 'vite';

// The desk is static files joint-api serves at `/`; it talks to the API on the same origin.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
});
