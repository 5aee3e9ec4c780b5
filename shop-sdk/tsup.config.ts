import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', server: 'src/server/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // One copy of Problem and the request context across entry points, in CommonJS as in ESM,
  // so instanceof and X-Request-Id propagation hold whichever entry a caller loads.
  splitting: true,
  target: 'node20',
});
