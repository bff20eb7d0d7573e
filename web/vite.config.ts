import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard: root web/, built to web/dist, served by the API process at /. `npm run dev:web` proxies /api to
// a server started with `npm start` on port 3000 (or SHAREPLANE_API).
const API = process.env.SHAREPLANE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Skipping gzip size reports saves seconds on every build; nobody reads them at `npm start`.
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
    // Pages load on first use (router.tsx); the small pieces they share merge into few chunks instead of dozens.
    rollupOptions: { output: { experimentalMinChunkSize: 10_000 } },
  },
  server: {
    proxy: {
      '/api': {
        target: API,
        changeOrigin: true,
        // The API's CSRF check wants a same-origin Origin: the dev server's own origin is not the API's.
        configure: (proxy) => proxy.on('proxyReq', (request) => request.setHeader('origin', API)),
      },
    },
  },
});
