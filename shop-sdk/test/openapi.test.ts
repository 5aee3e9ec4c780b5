import { expect } from 'chai';
import { Router, type Express } from 'express';
import { z } from 'zod';
import {
  apiRoutes,
  createLogger,
  createServiceApp,
  openApiDocument,
  openApiFindings,
  parseInput,
  pathParam,
  serveOpenApi,
  uuid,
  type ApiRoute,
} from '../src/server/index.js';
import { call, documentedParameters, listen } from '../src/testing/index.js';

const noteBody = z.strictObject({ text: z.string().min(1).max(280) });
const noteId = uuid('note');
const listQuery = z.strictObject({ search: z.string().min(1).optional() });

const NOTE_ROUTES: ApiRoute[] = [
  {
    method: 'post',
    path: '/api/notes',
    tag: 'Notes',
    summary: 'Write a note',
    access: 'bearer',
    body: { schema: noteBody, example: { text: 'hola' } },
    response: { status: 201, description: 'The note' },
  },
  {
    method: 'get',
    path: '/api/notes/:id',
    tag: 'Notes',
    summary: 'Read a note',
    access: 'public',
    params: { id: noteId },
    query: listQuery,
    response: { status: 200, description: 'The note' },
    problems: [404],
  },
];

function notesApp(extraRoutes: (router: Router) => void = () => {}, routes = NOTE_ROUTES): Express {
  const router = Router();
  router.post('/', (req, res) => res.status(201).json(parseInput(noteBody, req.body, 'body')));
  router.get('/:id', (req, res) => res.json({ id: pathParam(req, 'id', noteId) }));
  extraRoutes(router);
  return createServiceApp({
    service: 'notes',
    logger: createLogger('notes', 'silent'),
    bodyLimit: '10kb',
    trustProxy: 'loopback',
    checkReadiness: async () => {},
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(openApiDocument({ title: 'Notes', version: '1.0.0' }, routes)));
      app.use('/api/notes', router);
      app.get('/internal/notes', (_req, res) => res.json([]));
    },
  });
}

async function servedFindings(app: Express, routes = NOTE_ROUTES) {
  const server = await listen(app);
  try {
    const answer = await call(server.url, 'GET', '/openapi.json');
    expect(answer.status).to.equal(200);
    return {
      document: answer.body as { paths: Record<string, Record<string, unknown>> },
      findings: openApiFindings(app, answer.body, routes),
    };
  } finally {
    await server.close();
  }
}

describe('OpenAPI documents built from the routes’ zod schemas', () => {
  it('When every public route is described, then the served document lists exactly them and nothing internal', async () => {
    const { document, findings } = await servedFindings(notesApp());

    expect(findings).to.deep.equal([]);
    expect(Object.keys(document.paths)).to.deep.equal(['/api/notes', '/api/notes/{id}']);
  });

  it('When a route reads a path parameter and a query, then the document gives their JSON Schemas from zod', async () => {
    const { document } = await servedFindings(notesApp());
    const read = document.paths['/api/notes/{id}']!.get as unknown as {
      parameters: { name: string; in: string; required: boolean; schema: { format?: string } }[];
      responses: Record<string, unknown>;
    };

    expect(read.parameters.map(({ name, in: where, required }) => [name, where, required])).to.deep.equal([
      ['id', 'path', true],
      ['search', 'query', false],
    ]);
    expect(read.parameters[0]!.schema.format).to.equal('uuid');
    expect(Object.keys(read.responses)).to.deep.equal(['200', '400', '404']);
  });

  it('When the app registers a public route the document leaves out, then the check names it', async () => {
    const app = notesApp((router) => router.delete('/:id', (_req, res) => res.status(204).end()));

    const { findings } = await servedFindings(app);

    expect(findings).to.deep.equal(['DELETE /api/notes/{id} is not documented']);
  });

  it('When the document lists a route the app lacks, then the check names it', async () => {
    const routes: ApiRoute[] = [
      ...NOTE_ROUTES,
      {
        method: 'patch',
        path: '/api/notes/:id',
        tag: 'Notes',
        summary: 'Edit',
        access: 'bearer',
        response: { status: 200, description: 'The note' },
      },
    ];

    const { findings } = await servedFindings(notesApp(undefined, routes), routes);

    expect(findings).to.deep.equal(['PATCH /api/notes/{id} is not served']);
  });

  it('When a documented example breaks its schema, then the check says which field', async () => {
    const routes = NOTE_ROUTES.map((route) =>
      route.body ? { ...route, body: { ...route.body, example: { text: '' } } } : route,
    );

    const { findings } = await servedFindings(notesApp(undefined, routes), routes);

    expect(findings).to.have.length(1);
    expect(findings[0]).to.match(/^the application\/json example of POST \/api\/notes is refused \(text: /);
  });

  it('When two descriptions name the same method and path, then building the document fails', () => {
    expect(() =>
      openApiDocument({ title: 'Notes', version: '1' }, [...NOTE_ROUTES, NOTE_ROUTES[0]!]),
    ).to.throw('POST /api/notes is described twice');
  });

  it('When routes share a tag and access through apiRoutes, then the document is the one written route by route', () => {
    const grouped = [
      ...apiRoutes({ tag: 'Notes', access: 'bearer' }, [
        {
          method: 'post',
          path: '/api/notes',
          summary: 'Write a note',
          body: { schema: noteBody, example: { text: 'hola' } },
          response: { status: 201, description: 'The note' },
        },
      ]),
      ...NOTE_ROUTES.slice(1),
    ];

    const document = openApiDocument({ title: 'Notes', version: '1' }, grouped);

    expect(document).to.deep.equal(openApiDocument({ title: 'Notes', version: '1' }, NOTE_ROUTES));
  });

  it('When a test reads a route’s parameters from the document, then it gets each name, place and whether required', () => {
    const document = openApiDocument({ title: 'Notes', version: '1' }, NOTE_ROUTES);
    const withParameters = NOTE_ROUTES.find((route) => route.params)!;

    const parameters = documentedParameters(document, withParameters.method, withParameters.path);

    expect(parameters).to.deep.include({
      name: Object.keys(withParameters.params!)[0]!,
      in: 'path',
      required: true,
    });
    expect(() => documentedParameters(document, 'put', '/api/nowhere')).to.throw(
      'the document has no PUT /api/nowhere',
    );
  });
});
