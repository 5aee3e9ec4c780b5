import { expect } from 'chai';
import { request } from 'undici';
import { z } from 'zod';
import { problems } from '../src/index.js';
import {
  ConfigError,
  createLogger,
  createServiceApp,
  loadConfig,
  paginationQuery,
  parseInput,
  serviceEnv,
} from '../src/server/index.js';
import { listen, type ListeningServer } from '../src/testing/index.js';

describe('createServiceApp', () => {
  let server: ListeningServer;
  let ready = true;

  before(async () => {
    const app = createServiceApp({
      service: 'demo',
      logger: createLogger('demo', 'silent'),
      bodyLimit: '1kb',
      trustProxy: 'loopback',
      checkReadiness: async () => {
        if (!ready) throw new Error('database down');
      },
      routes: (app) => {
        app.post('/things', (req, res) => {
          res
            .status(201)
            .json(parseInput(z.strictObject({ quantity: z.number().int().positive() }), req.body, 'body'));
        });
        app.get('/things', (req, res) => {
          res.json(parseInput(z.strictObject(paginationQuery), req.query, 'query'));
        });
        app.get('/things/:id', (req, res) => {
          res.json({ id: parseInput(z.uuid(), req.params.id, 'params', 'id') });
        });
        app.get('/conflict', () => {
          throw problems.conflict('out-of-stock', 'Only 2 left', { available: 2 });
        });
        app.get('/bug', () => {
          throw new Error('secret internal detail');
        });
      },
    });
    server = await listen(app);
  });

  after(() => server.close());

  async function send(method: string, path: string, body?: string, contentType = 'application/json') {
    const response = await request(server.url + path, {
      method: method as 'GET',
      body,
      headers: body === undefined ? {} : { 'content-type': contentType },
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      type: response.headers['content-type'],
      body: text ? JSON.parse(text) : undefined,
    };
  }

  it('When a domain Problem is thrown, then its status, type and extensions reach the client', async () => {
    const answer = await send('GET', '/conflict');

    expect(answer.status).to.equal(409);
    expect(answer.type).to.match(/^application\/problem\+json/);
    expect(answer.body).to.include({
      type: 'https://escalable.shop/problems/out-of-stock',
      detail: 'Only 2 left',
      available: 2,
    });
  });

  it('When a bug throws, then 500 without the internal message', async () => {
    const answer = await send('GET', '/bug');

    expect(answer.status).to.equal(500);
    expect(JSON.stringify(answer.body)).to.not.include('secret internal detail');
  });

  it('When input is invalid, malformed, too large or not JSON, then 400, 400, 413 and 415', async () => {
    const invalid = await send('POST', '/things', JSON.stringify({ quantity: -1, extra: true }));
    const malformed = await send('POST', '/things', '{"quantity":');
    const large = await send('POST', '/things', JSON.stringify({ quantity: 1, pad: 'x'.repeat(2000) }));
    const form = await send('POST', '/things', 'quantity=1', 'application/x-www-form-urlencoded');

    expect([invalid.status, malformed.status, large.status, form.status]).to.deep.equal([400, 400, 413, 415]);
    expect(invalid.body.invalidParams.map((p: { name: string }) => p.name)).to.deep.equal([
      'quantity',
      'extra',
    ]);
  });

  it('When a path parameter is invalid or not valid percent-encoding, then 400 naming it', async () => {
    const invalid = await send('GET', '/things/not-a-uuid');
    const undecodable = await send('GET', '/things/%E0%A4%A');

    expect([invalid.status, undecodable.status]).to.deep.equal([400, 400]);
    expect(invalid.body.invalidParams).to.deep.include({ in: 'params', name: 'id', reason: 'Invalid UUID' });
    expect(undecodable.type).to.match(/^application\/problem\+json/);
  });

  it('When paging numbers are not plain digits, then 400 rather than a coerced guess', async () => {
    const defaults = await send('GET', '/things');
    const plain = await send('GET', '/things?limit=5&offset=10');
    const refused = await Promise.all(
      ['limit=0x10', 'limit=1e1', 'limit=-1', 'limit=2.5', 'limit=', 'limit=101'].map((query) =>
        send('GET', `/things?${query}`),
      ),
    );

    expect(defaults.body).to.deep.equal({ limit: 20, offset: 0 });
    expect(plain.body).to.deep.equal({ limit: 5, offset: 10 });
    expect(refused.map((answer) => answer.status)).to.deep.equal([400, 400, 400, 400, 400, 400]);
  });

  it('When a string or a key holds a control character, then 400 naming where', async () => {
    const answer = await send(
      'POST',
      '/things',
      JSON.stringify({ quantity: 1, note: ['ok', 'a\u0000b'], 'k\u0007': 1 }),
    );

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams.map((param: { name: string }) => param.name)).to.deep.equal([
      'note.1',
      'k\u0007',
    ]);
  });

  it('When the body says it is gzip but is not, then 400 rather than 500', async () => {
    const response = await request(`${server.url}/things`, {
      method: 'POST',
      body: JSON.stringify({ quantity: 1 }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    const problem = (await response.body.json()) as { status: number };

    expect([response.statusCode, problem.status]).to.deep.equal([400, 400]);
  });

  it('When the database is unreachable, then /readyz answers 503 while /healthz stays 200', async () => {
    ready = false;
    try {
      expect((await send('GET', '/readyz')).status).to.equal(503);
      expect((await send('GET', '/healthz')).status).to.equal(200);
    } finally {
      ready = true;
    }
  });

  it('When security headers are expected, then helmet sets them and x-powered-by is gone', async () => {
    const response = await request(`${server.url}/healthz`);
    await response.body.text();

    expect(response.headers['x-content-type-options']).to.equal('nosniff');
    expect(response.headers).to.not.have.property('x-powered-by');
  });
});

describe('loadConfig', () => {
  it('When variables are missing or wrong, then one line names each, without their values', () => {
    const attempt = () =>
      loadConfig(serviceEnv, {
        DATABASE_URL: 'mysql://u:hunter2@h/db',
        SERVICE_SECRET: 'short-secret-value',
        PORT: 'eighty',
      });

    expect(attempt).to.throw(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message)
        .to.match(/DATABASE_URL/)
        .and.match(/SERVICE_SECRET/)
        .and.match(/PORT/);
      expect(message).to.not.include('hunter2').and.not.include('short-secret-value');
      expect(message).to.not.include('\n');
    }
  });
});
