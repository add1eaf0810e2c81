import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `npm run dev` serves the app on :5173 and hands the API to a running gateway (`make up`).
const GATEWAY = process.env.GATEWAY_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": {
        target: GATEWAY,
        // The gateway answers only to its own Host and refuses writes whose Origin or
        // Referer names another site (here the dev server's :5173): present the proxied request as the gateway's own.
        changeOrigin: true,
        configure: (proxy) =>
          proxy.on("proxyReq", (req) => {
            req.removeHeader("origin");
            req.removeHeader("referer");
          }),
      },
      "/openapi.json": GATEWAY,
      "/docs": GATEWAY,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
