import type { RequestHandler } from 'express';
import { z } from 'zod';

export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: a signed-in user's bearer token, a bearer token when there is one (guests
 * too), or nobody in particular (sign-in, a provider's signed callback).
 */
export type ApiAccess = 'bearer' | 'optional-bearer' | 'public';

export interface ApiHeader {
  schema: z.ZodType;
  required?: boolean;
  description?: string;
}

/**
 * One public route, described with the very zod schemas its handler parses, so the document cannot
 * tell a client something the route does not check.
 */
export interface ApiRoute {
  method: ApiMethod;
  /** Express form, as the gateway exposes it: `/api/users/:id/roles`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: ApiAccess;
  params?: Record<string, z.ZodType>;
  query?: z.ZodType;
  headers?: Record<string, ApiHeader>;
  body?: {
    schema: z.ZodType;
    /** Checked against `schema` by the route-coverage check: a wrong example fails a test. */
    example?: unknown;
    /** `application/json` unless the route reads another type (a CSV import, a provider's form). */
    mediaTypes?: string[];
  };
  response: {
    status: number;
    description: string;
    schema?: z.ZodType;
    headers?: Record<string, { description: string }>;
  };
  /** Problem statuses the route's story can answer with besides the ones its inputs and access imply. */
  problems?: number[];
}

/**
 * Routes of one part of the API that share their tag and access, each described without them, in
 * the order given: `apiRoutes({ tag: 'Orders', access: 'bearer' }, [{ method, path, ... }])`.
 */
export function apiRoutes(
  shared: Pick<ApiRoute, 'tag' | 'access'>,
  routes: ReadonlyArray<Omit<ApiRoute, 'tag' | 'access'>>,
): ApiRoute[] {
  return routes.map((route) => ({ ...route, ...shared }));
}

export interface ApiDocumentInfo {
  title: string;
  version: string;
  description?: string;
}

const PROBLEM_TITLES: Record<number, string> = {
  400: 'The request is malformed or a field is invalid (invalid-params names each)',
  401: 'No valid access token',
  403: 'The token does not grant this',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'The body is too large',
  415: 'The body is not of an accepted media type',
  422: 'Understood but cannot be done',
  429: 'Too many requests; Retry-After says when to try again',
  502: 'A service this one needs answered badly',
  503: 'A service this one needs is unavailable',
  504: 'A service this one needs did not answer in time',
};

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    'invalid-params': {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'in', 'reason'],
        properties: { name: { type: 'string' }, in: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
};

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** The JSON Schema of what a client sends (`input`) or receives (`output`), without `$schema`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Refinements and transforms cannot be written in JSON Schema: the document shows the shape and
  // the checks that can be, and the route still applies the rest.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** `/api/users/:id/roles` → `/api/users/{id}/roles`. */
export const openApiPath = (expressPath: string): string =>
  expressPath.replace(/:(\w+)/g, (_match, name: string) => `{${name}}`);

function parametersOf(route: ApiRoute): unknown[] {
  const path = Object.entries(route.params ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(schema, 'input'),
  }));
  const querySchema = route.query ? jsonSchema(route.query, 'input') : {};
  const query = Object.entries(querySchema.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: querySchema.required?.includes(name) ?? false,
    schema,
  }));
  const headers = Object.entries(route.headers ?? {}).map(([name, header]) => ({
    name,
    in: 'header',
    required: header.required ?? false,
    ...(header.description ? { description: header.description } : {}),
    schema: jsonSchema(header.schema, 'input'),
  }));
  return [...path, ...query, ...headers];
}

/** The problem statuses a route can answer with: those its inputs and access imply, and its own. */
function problemStatuses(route: ApiRoute): number[] {
  const statuses = new Set(route.problems ?? []);
  if (route.params || route.query || route.body || route.headers) statuses.add(400);
  if (route.access !== 'public') statuses.add(401);
  if (route.body) statuses.add(413).add(415);
  return [...statuses].sort((a, b) => a - b);
}

function operationOf(route: ApiRoute): Record<string, unknown> {
  const parameters = parametersOf(route);
  const problems = Object.fromEntries(
    problemStatuses(route).map((status) => [
      String(status),
      {
        description: PROBLEM_TITLES[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    ]),
  );
  const { response, body } = route;
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    operationId: `${route.method}${openApiPath(route.path).replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
    ...(route.access === 'public'
      ? {}
      : { security: route.access === 'bearer' ? [{ bearerAuth: [] }] : [{ bearerAuth: [] }, {}] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (body.mediaTypes ?? ['application/json']).map((type) => [
                type,
                {
                  schema: jsonSchema(body.schema, 'input'),
                  ...(body.example === undefined ? {} : { example: body.example }),
                },
              ]),
            ),
          },
        }
      : {}),
    responses: {
      [String(response.status)]: {
        description: response.description,
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, header]) => [
                  name,
                  { description: header.description, schema: { type: 'string' } },
                ]),
              ),
            }
          : {}),
        ...(response.schema
          ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
          : {}),
      },
      ...problems,
    },
  };
}

/** An OpenAPI 3.1 document of a service's public routes. */
export function openApiDocument(info: ApiDocumentInfo, routes: readonly ApiRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = (paths[openApiPath(route.path)] ??= {});
    if (path[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is described twice`);
    path[route.method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

/** Serves a document built once, for `GET /openapi.json`. */
export function serveOpenApi(document: OpenApiDocument): RequestHandler {
  const body = JSON.stringify(document);
  return (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(body);
  };
}
