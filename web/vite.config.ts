import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The server serves web/dist; in development Vite proxies the API (including the SSE channel).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    // No inline scripts or assets that would need CSP exceptions beyond data: images/fonts.
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        // Vendor code changes rarely: separate chunks stay cached across releases of the app.
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom'],
          antd: ['antd', '@ant-design/icons'],
          data: ['@tanstack/react-query', 'i18next', 'react-i18next', 'dayjs'],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // Ant Design in jsdom is slow to render; full-page tests need more than the 5 s default.
    testTimeout: 30_000,
  },
});
