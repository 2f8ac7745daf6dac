/**
 * The renderer bundle: one build, three screens (cashier, customer, manager). Relative asset URLs
 * (`base: './'`) let the same files load from app://pos/ in Electron and from the browser host at
 * `/`, `/customer` and `/manager`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./build/renderer', import.meta.url));

/**
 * The dev server injects an inline script (React Fast Refresh preamble) that the page's strict
 * CSP would block. Drop the CSP meta in `vite dev` only; the built bundle keeps it.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'pos-relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), relaxCspInDev()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // No inline <script>: the CSP allows only 'self'.
    assetsInlineLimit: 0,
  },
  server: {
    // `vite dev` against a running browser host: `npm start -- --port 5199`.
    proxy: { '/ws': { target: 'ws://127.0.0.1:5199', ws: true } },
  },
});
