import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run web:dev` and `vite preview` send the API to a running gateway (npm start), so the page and the API
// share one origin as they do behind the gateway in production.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': { target: gateway, changeOrigin: true }, '/config.json': { target: gateway, changeOrigin: true } };

export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { '@crm/api-client': fileURLToPath(new URL('../../libs/api-client/src/index.ts', import.meta.url)) } },
  build: { outDir: '../../dist/apps/web', emptyOutDir: true, manifest: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
});
