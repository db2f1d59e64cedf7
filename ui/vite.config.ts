import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The gateway the dev server (`npx vite --config ui/vite.config.ts`) forwards API calls to. */
const gateway = process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000';

/** Builds the dashboard into ui/dist, served by the gateway at /ui/ (src/http/serve-dashboard.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  plugins: [react()],
  logLevel: 'warn',
  server: { proxy: { '/admin': gateway, '/v1': gateway } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
});
