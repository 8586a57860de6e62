import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `warden serve` is running during `npm run dev:web` (the API the dev server proxies to). */
const api = process.env.WARDEN_DEV_API ?? 'http://127.0.0.1:8080';

/**
 * Writes .br and .gz beside each script and stylesheet, so the server sends them precompressed
 * (@fastify/static's preCompressed) without compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'warden-precompress',
    apply: 'build',
    writeBundle(options) {
      const assets = path.join(options.dir ?? '', 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const bytes = readFileSync(path.join(assets, name));
        writeFileSync(path.join(assets, `${name}.gz`), gzipSync(bytes, { level: 9 }));
        writeFileSync(
          path.join(assets, `${name}.br`),
          brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), precompress()],
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
