import type { Express } from 'express';
import { openApiPath, type ApiRoute } from './openapi.js';

/** What a router layer of Express 5 (router 2) exposes: its mount path, its route or its sub-router. */
interface RouterLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function walk(stack: RouterLayer[], prefix: string, found: Set<string>): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = [layer.route.path].flat().filter((path) => typeof path === 'string');
      for (const method of Object.keys(layer.route.methods).filter((name) => METHODS.includes(name))) {
        for (const path of paths) found.add(`${method.toUpperCase()} ${openApiPath(prefix + path)}`);
      }
    } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
      walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : layer.rawPath), found);
    }
  }
}

/** `GET /api/users/{id}` for every route under /api/ the app registers, as the gateway exposes them. */
export function publicRoutesOf(app: Express): string[] {
  const found = new Set<string>();
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '', found);
  return [...found]
    .filter((route) => route.split(' ')[1]!.replace(/\/+$/, '').startsWith('/api/'))
    .map((route) => route.replace(/(.)\/+$/, '$1'))
    .sort();
}

interface ServedDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> } }>>;
}

/**
 * What is wrong between a served OpenAPI document and the app serving it: a public route the
 * document leaves out, a documented route the app lacks, a documented example the route's own
 * schema refuses. Empty when they agree.
 */
export function openApiFindings(app: Express, served: unknown, routes: readonly ApiRoute[]): string[] {
  const document = served as ServedDocument;
  const registered = new Set(publicRoutesOf(app));
  const documented = new Set(
    Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  const findings = [
    ...[...registered].filter((route) => !documented.has(route)).map((route) => `${route} is not documented`),
    ...[...documented].filter((route) => !registered.has(route)).map((route) => `${route} is not served`),
  ];
  for (const route of routes) {
    const content = document.paths[openApiPath(route.path)]?.[route.method]?.requestBody?.content ?? {};
    for (const [type, { example }] of Object.entries(content)) {
      if (example === undefined || !route.body) continue;
      const result = route.body.schema.safeParse(example);
      if (!result.success) {
        const reasons = result.error.issues.map(
          (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
        );
        findings.push(
          `the ${type} example of ${route.method.toUpperCase()} ${route.path} is refused (${reasons.join('; ')})`,
        );
      }
    }
  }
  return findings;
}
