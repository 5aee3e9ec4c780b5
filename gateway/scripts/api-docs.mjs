// Builds what the gateway serves at /api/openapi.json and /api/docs: the six services' public
// OpenAPI documents merged into one, and Swagger UI's page around it. nginx cannot merge JSON, so
// this runs once the services answer (the dev stack calls writeApiDocs; compose runs this file as a
// one-shot container) and writes static files under nginx's `html` directory.
//   node scripts/api-docs.mjs HTML_DIR SERVICE_URL...
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'];

/**
 * One document from the services' own: their paths side by side (a path and method described by two
 * services is an error, as the gateway could route it to one only), their tags, the shared components.
 */
export function mergeOpenApi(documents) {
  const paths = {};
  const schemas = {};
  const securitySchemes = {};
  const tags = [];
  for (const document of documents) {
    for (const [route, operations] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        if (paths[route]?.[method]) {
          throw new Error(`${method.toUpperCase()} ${route} is described by two services`);
        }
        (paths[route] ??= {})[method] = operation;
      }
    }
    Object.assign(schemas, document.components?.schemas);
    Object.assign(securitySchemes, document.components?.securitySchemes);
    tags.push({ name: document.info.title, description: document.info.description });
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Escalable shop API',
      version: '1.0.0',
      description: 'The public API of the shop, as the gateway serves it: every path below is under /api.',
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas, securitySchemes },
  };
}

/** Each service's /openapi.json, read from one instance of it. */
export async function fetchServiceDocuments(serviceUrls) {
  return Promise.all(
    serviceUrls.map(async (url) => {
      const response = await fetch(new URL('/openapi.json', url), { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`${url}/openapi.json answered ${response.status}`);
      return response.json();
    }),
  );
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Escalable shop API</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="reference"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/reference.js"></script>
  </body>
</html>
`;

// A script file rather than an inline one, so the page needs no 'unsafe-inline' if a CSP comes.
const DOCS_SCRIPT = `SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#reference', deepLinking: true });\n`;

/**
 * Writes HTML_DIR/api/openapi.json and the reference page under HTML_DIR/api/docs/, where
 * gateway.conf's /api/openapi.json and /api/docs locations read them.
 */
export async function writeApiDocs(htmlDir, documents) {
  const docsDir = path.join(htmlDir, 'api', 'docs');
  await mkdir(docsDir, { recursive: true });
  const swaggerUi = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  await Promise.all([
    writeFile(path.join(htmlDir, 'api', 'openapi.json'), JSON.stringify(mergeOpenApi(documents))),
    writeFile(path.join(docsDir, 'index.html'), DOCS_PAGE),
    writeFile(path.join(docsDir, 'reference.js'), DOCS_SCRIPT),
    ...SWAGGER_UI_FILES.map((file) => copyFile(path.join(swaggerUi, file), path.join(docsDir, file))),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [htmlDir, ...serviceUrls] = process.argv.slice(2);
  if (!htmlDir || serviceUrls.length === 0) {
    console.error('usage: node scripts/api-docs.mjs HTML_DIR SERVICE_URL...');
    process.exit(2);
  }
  await writeApiDocs(htmlDir, await fetchServiceDocuments(serviceUrls));
  console.log(`wrote ${htmlDir}/api/openapi.json and ${htmlDir}/api/docs/`);
}
