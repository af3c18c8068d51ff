/**
 * Vite builds the web app (src/web) into dist/web, which the server serves.
 * In development `npx vite` proxies the API to a server on port 3000.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, "dist", "web"),
    emptyOutDir: true,
    // antd alone is ~1 MB before gzip; the heavy pages are split out with lazy().
    chunkSizeWarningLimit: 1600,
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:3000", changeOrigin: false },
    },
  },
});
