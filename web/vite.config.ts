import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `warden serve` is running during `npm run dev:web` (the API the dev server proxies to). */
const api = process.env.WARDEN_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    // Shipped with the server: `warden serve` serves dist/web at /.
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // No inline script or eval anywhere: the console runs under a strict Content-Security-Policy.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    strictPort: true,
    // Same origin as the page, so the session cookie and the CSRF check work unchanged in dev.
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});
