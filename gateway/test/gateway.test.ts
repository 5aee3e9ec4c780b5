import { expect } from 'chai';
import { getGlobalDispatcher, request } from 'undici';
import { UPSTREAM_NAMES, type UpstreamName } from '../nginx/render.mjs';
import { rawExchange } from '../testing/raw-exchange.mjs';
import {
  nginxOrSkip,
  startNginx,
  startStandIn,
  type Echo,
  type RunningNginx,
  type StandIn,
} from './helpers.js';

const ROUTES: Array<[path: string, upstream: UpstreamName]> = [
  ['/api/auth/login', 'user_service'],
  ['/api/users/me', 'user_service'],
  ['/api/users', 'user_service'],
  ['/api/products?page=2', 'product_service'],
  ['/api/products/import?dryRun=true', 'product_service'],
  ['/api/categories/7', 'product_service'],
  ['/api/cart/items', 'cart_service'],
  ['/api/orders/42', 'order_service'],
  ['/api/payments', 'payment_service'],
  ['/api/notifications', 'notification_service'],
];

/** GETs `path` as written: `request(url)` would resolve its dot segments and backslashes first. */
async function get(origin: string, path: string, headers: Record<string, string> = {}) {
  const res = await getGlobalDispatcher().request({ origin, path, method: 'GET', headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text };
}

function expectProblem(
  res: { status: number; headers: Record<string, unknown>; text: string },
  status: number,
) {
  expect(res.status).to.equal(status);
  expect(res.headers['content-type']).to.equal('application/problem+json');
  const problem = JSON.parse(res.text) as Record<string, unknown>;
  expect(problem).to.include({ status });
  expect(problem.type).to.be.a('string');
  expect(problem.title).to.be.a('string');
  expect(problem.detail).to.be.a('string');
}

describe('gateway: gateway.conf on a real nginx', function () {
  let binary: string | undefined;
  let nginx: RunningNginx;
  const instances = {} as Record<UpstreamName, [StandIn, StandIn]>;
  const all = () => Object.values(instances).flat();
  const reached = () => all().reduce((sum, standIn) => sum + standIn.received.length, 0);

  before(async function () {
    binary = nginxOrSkip(this);
    for (const name of UPSTREAM_NAMES) {
      instances[name] = [await startStandIn(`${name}#1`), await startStandIn(`${name}#2`)];
    }
    const upstreams = Object.fromEntries(
      UPSTREAM_NAMES.map((name) => [name, instances[name].map((s) => s.address)]),
    );
    nginx = await startNginx(binary, upstreams);
  });

  after(async () => {
    await nginx?.stop();
    await Promise.all(all().map((standIn) => standIn.close().catch(() => undefined)));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(nginx?.stderr());
  });

  /** The method the access log gives the request with this id (nginx writes the line after answering). */
  async function loggedMethod(requestId: unknown): Promise<unknown> {
    for (let tries = 0; tries < 20; tries++) {
      const line = (await nginx.accessLog()).find((entry) => entry.reqId === requestId);
      if (line) return line.method;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no access log line for request ${String(requestId)}`);
  }

  it('answers its own /healthz', async () => {
    const res = await get(nginx.url, '/healthz');
    expect(res.status).to.equal(200);
    expect(JSON.parse(res.text)).to.deep.equal({ status: 'ok' });
    expect(res.headers.server).to.equal('nginx');
  });

  it('routes every public prefix to its service, path and query untouched', async () => {
    for (const [path, upstream] of ROUTES) {
      const res = await get(nginx.url, path);
      expect(res.status, path).to.equal(200);
      const echo = JSON.parse(res.text) as Echo;
      expect(echo.instance, path).to.match(new RegExp(`^${upstream}#[12]$`));
      expect(echo.url).to.equal(path);
    }
  });

  it("does not route lookalike prefixes, /internal/* in any case, nor the services' /metrics", async () => {
    const before = reached();
    for (const path of [
      '/internal/x',
      '/internal/users/1',
      // The services' routers ignore case.
      '/INTERNAL/users/1',
      '/Internal/x',
      '/%69nternal/users/1',
      '/metrics',
      '/readyz',
      '/api/usersx',
      '/api/auth-admin',
      '/',
    ]) {
      expectProblem(await get(nginx.url, path), 404);
    }
    expect(reached()).to.equal(before);
  });

  it('refuses with 400 problem+json a path that would normalize to another route', async () => {
    const before = reached();
    for (const path of [
      '/internal/../api/users/me',
      '/INTERNAL/../api/users/me',
      '/internal/users/..%2F..%2Fapi%2Fusers%2Fx/contact',
      '/api/users/..%2f..%2finternal/users/1',
      '/api/users/%2e%2e/%2E%2E/internal/users/1',
      '/api/users/.%2e/me',
      '/api/users/x%5C..%5Cme',
      '/api/users/x%5c%2e%2e%5cme',
      '/api/users/x\\..\\me',
      '/api/users/x\\me',
      '//api/users/me',
      '/api/users//me',
      'http://evil.example/internal/../api/users/me',
    ]) {
      const res = await get(nginx.url, path);
      expectProblem(res, 400);
      expect(JSON.parse(res.text)).to.include({ type: 'https://escalable.shop/problems/bad-request' });
      expect(res.headers['x-request-id'], path).to.match(/^[0-9a-f]{32}$/);
    }
    expect(reached()).to.equal(before);
  });

  it('answers requests nginx cannot parse with 400 and 414 problem+json, not its HTML pages', async () => {
    const before = reached();
    const badEncoding = await get(nginx.url, '/api/products/%ZZ');
    const truncatedEncoding = await get(nginx.url, '/api/products/%E0%A4%A');
    const longLine = await get(nginx.url, `/api/products?q=${'a'.repeat(10_000)}`);
    const garbage = await rawExchange(nginx.url, 'GARBAGE\r\n\r\n');
    const invalidChunk = await rawExchange(
      nginx.url,
      'POST /api/products HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    );

    expectProblem(badEncoding, 400);
    expectProblem(truncatedEncoding, 400);
    expectProblem(longLine, 414);
    expectProblem(garbage, 400);
    expectProblem(invalidChunk, 400);
    expect(reached()).to.equal(before);
  });

  it('answers with problem+json what nginx refuses itself: a header over 8 KB, TRACE, Transfer-Encoding: gzip, HTTP/2.0', async () => {
    const before = reached();
    const bigHeader = await rawExchange(
      nginx.url,
      `GET /api/products HTTP/1.1\r\nHost: shop\r\nX-Big: ${'a'.repeat(9_000)}\r\nConnection: close\r\n\r\n`,
    );
    const bigHeaders = await rawExchange(
      nginx.url,
      `GET /api/products HTTP/1.1\r\nHost: shop\r\n${`X-Pad: ${'a'.repeat(7_000)}\r\n`.repeat(5)}Connection: close\r\n\r\n`,
    );
    const trace = await rawExchange(
      nginx.url,
      'TRACE /api/products HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n',
    );
    const gzip = await rawExchange(
      nginx.url,
      'POST /api/products HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    );
    const http2 = await rawExchange(nginx.url, 'GET /api/products HTTP/2.0\r\nHost: shop\r\n\r\n');

    expectProblem(bigHeader, 431);
    expectProblem(bigHeaders, 431);
    expectProblem(trace, 405);
    expect(trace.headers.allow).to.equal('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expectProblem(gzip, 400);
    expect(JSON.parse(gzip.text)).to.include({ detail: 'Transfer-Encoding may only be chunked' });
    expectProblem(http2, 400);
    expect(JSON.parse(http2.text)).to.include({ detail: 'The gateway speaks HTTP/1.0 and HTTP/1.1' });
    expect(reached()).to.equal(before);
  });

  it('refuses at the edge, with problem+json, what the services would answer with an empty 400', async () => {
    const before = reached();
    const unknownMethod = await rawExchange(
      nginx.url,
      'FOO /api/products HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n',
    );
    const rawBytePath = await rawExchange(
      nginx.url,
      Buffer.from('GET /api/products/caf\xe9 HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n', 'latin1'),
    );
    const rawByteQuery = await rawExchange(
      nginx.url,
      Buffer.from('GET /api/products?q=\x01 HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n', 'latin1'),
    );
    const noHost = await rawExchange(nginx.url, 'POST /api/users HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}');

    expectProblem(unknownMethod, 405);
    expect(unknownMethod.headers.allow).to.equal('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expectProblem(rawBytePath, 400);
    expectProblem(rawByteQuery, 400);
    expect(JSON.parse(rawBytePath.text)).to.include({ type: 'https://escalable.shop/problems/bad-request' });
    expectProblem(noHost, 400);
    expect(reached()).to.equal(before);
  });

  it('passes the methods the services serve, and HTTP/1.0 with a Host', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const res = await getGlobalDispatcher().request({ origin: nginx.url, path: '/api/products/1', method });
      await res.body.text();
      expect(res.statusCode, method).to.equal(200);
    }
    const http10 = await rawExchange(nginx.url, 'GET /api/products HTTP/1.0\r\nHost: shop\r\n\r\n');
    expect(http10.status).to.equal(200);
    expect((JSON.parse(http10.text) as Echo).instance).to.match(/^product_service#[12]$/);
  });

  it('passes encoded slashes and dots in the query string', async () => {
    const path = '/api/products?q=men%2Fshoes&from=..%2F..%2Finternal&sort=a//b';
    const echo = JSON.parse((await get(nginx.url, path)).text) as Echo;
    expect(echo.instance).to.match(/^product_service#[12]$/);
    expect(echo.url).to.equal(path);
  });

  it('sends the connecting address as X-Forwarded-For and X-Real-IP, whatever the client forged', async () => {
    const forged = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'x-real-ip': '203.0.113.7' };
    const echo = JSON.parse((await get(nginx.url, '/api/users/me', forged)).text) as Echo;
    expect(echo.headers['x-forwarded-for']).to.equal('127.0.0.1');
    expect(echo.headers['x-real-ip']).to.equal('127.0.0.1');
  });

  it('sets X-Forwarded-Proto and -Host for the service', async () => {
    const echo = JSON.parse(
      (await get(nginx.url, '/api/users/me', { 'x-forwarded-proto': 'https' })).text,
    ) as Echo;
    expect(echo.headers['x-forwarded-proto']).to.equal('http');
    expect(echo.headers['x-forwarded-host']).to.equal(new URL(nginx.url).host);
  });

  it('generates an X-Request-Id when the client sends none, and sends it both ways', async () => {
    const res = await get(nginx.url, '/api/users/me');
    const id = res.headers['x-request-id'];
    expect(id).to.match(/^[0-9a-f]{32}$/);
    expect((JSON.parse(res.text) as Echo).headers['x-request-id']).to.equal(id);
  });

  it('passes a client X-Request-Id through, and replaces one that is not a plain token', async () => {
    const kept = await get(nginx.url, '/api/users/me', { 'x-request-id': 'client-req.42:a_b' });
    expect(kept.headers['x-request-id']).to.equal('client-req.42:a_b');
    expect((JSON.parse(kept.text) as Echo).headers['x-request-id']).to.equal('client-req.42:a_b');

    const replaced = await get(nginx.url, '/api/users/me', { 'x-request-id': 'a b"<script>' });
    expect(replaced.headers['x-request-id']).to.match(/^[0-9a-f]{32}$/);
    expect((JSON.parse(replaced.text) as Echo).headers['x-request-id']).to.equal(
      replaced.headers['x-request-id'],
    );
  });

  it('spreads requests over both instances', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++)
      seen.add((JSON.parse((await get(nginx.url, '/api/products')).text) as Echo).instance);
    expect([...seen].sort()).to.deep.equal(['product_service#1', 'product_service#2']);
  });

  it('keeps answering GETs from the other instance when one is closed', async () => {
    await instances.cart_service[0].close();
    for (let i = 0; i < 10; i++) {
      const res = await get(nginx.url, '/api/cart');
      expect(res.status).to.equal(200);
      expect((JSON.parse(res.text) as Echo).instance).to.equal('cart_service#2');
    }
  });

  it('retries a GET on the next instance when one answers 502', async () => {
    const [broken, healthy] = instances.notification_service;
    broken.failWith = 502;
    for (let i = 0; i < 4; i++) {
      const res = await get(nginx.url, '/api/notifications');
      expect(res.status).to.equal(200);
      expect((JSON.parse(res.text) as Echo).instance).to.equal('notification_service#2');
    }
    expect(broken.received.length).to.be.greaterThan(0);
    expect(healthy.received.length).to.equal(4);
  });

  it('never resends a POST to the second instance when the first answers 502', async () => {
    const [broken, healthy] = instances.order_service;
    broken.failWith = 502;
    broken.received = [];
    healthy.received = [];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(`${nginx.url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ attempt: i }),
      });
      statuses.push(res.statusCode);
      const echo = (await res.body.json()) as Echo;
      if (res.statusCode === 502) expect(echo.instance).to.equal('order_service#1');
    }
    expect(statuses).to.include(502);
    // Each POST reached exactly one instance: none was delivered twice.
    expect(broken.received.length + healthy.received.length).to.equal(4);
    expect(broken.received.length).to.equal(statuses.filter((status) => status === 502).length);
  });

  it('answers 502 problem+json when no instance of a service is up', async () => {
    await Promise.all(instances.payment_service.map((standIn) => standIn.close()));
    const res = await get(nginx.url, '/api/payments');
    expect(res.status).to.be.oneOf([502, 503]);
    expectProblem(res, res.status);
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f]{32}$/);
  });

  it('rejects a 2 MB body with 413 problem+json before it reaches the service', async () => {
    const [first, second] = instances.user_service;
    const before = first.received.length + second.received.length;
    const res = await request(`${nginx.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(2 * 1024 * 1024, 'a'),
    });
    expectProblem({ status: res.statusCode, headers: res.headers, text: await res.body.text() }, 413);
    expect(first.received.length + second.received.length).to.equal(before);
    expect(await loggedMethod(res.headers['x-request-id'])).to.equal('POST');
  });

  it('When an admin imports a catalog of several megabytes, then /api/products/import takes it, up to 16 MB', async () => {
    const [first, second] = instances.product_service;
    const before = first.received.length + second.received.length;
    const importCatalog = (megabytes: number) =>
      request(`${nginx.url}/api/products/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: Buffer.alloc(megabytes * 1024 * 1024, 'a'),
      }).then(async (res) => ({ status: res.statusCode, headers: res.headers, text: await res.body.text() }));

    const fifteen = await importCatalog(15);
    const seventeen = await importCatalog(17);

    expect(fifteen.status).to.equal(200);
    expect((JSON.parse(fifteen.text) as Echo).url).to.equal('/api/products/import');
    expectProblem(seventeen, 413);
    expect(JSON.parse(seventeen.text)).to.include({
      type: 'https://escalable.shop/problems/payload-too-large',
    });
    expect(first.received.length + second.received.length).to.equal(before + 1);
  });

  it('When an import takes longer than the 15 s other routes wait, then the gateway still hands its answer over', async function () {
    this.timeout(40_000);
    this.slow(20_000);
    const slowInstances = instances.product_service;
    for (const standIn of slowInstances) standIn.answerAfterMs = 16_000;
    try {
      const post = (path: string) =>
        request(`${nginx.url}${path}`, { method: 'POST', body: '{}' }).then(async (res) => ({
          status: res.statusCode,
          headers: res.headers,
          text: await res.body.text(),
        }));

      const [imported, created] = await Promise.all([post('/api/products/import'), post('/api/products')]);

      expect(imported.status).to.equal(200);
      expect((JSON.parse(imported.text) as Echo).url).to.equal('/api/products/import');
      expectProblem(created, 504);
    } finally {
      for (const standIn of slowInstances) delete standIn.answerAfterMs;
    }
  });

  it('starts without the services an environment does not run, and answers their routes 502 problem+json', async () => {
    const partial = await startNginx(binary!, {
      user_service: instances.user_service.map((standIn) => standIn.address),
    });
    try {
      for (const path of [
        '/api/products',
        '/api/cart',
        '/api/orders',
        '/api/payments',
        '/api/notifications',
      ]) {
        expectProblem(await get(partial.url, path), 502);
      }
      expect((await get(partial.url, '/api/users/me')).status).to.equal(200);
    } finally {
      await partial.stop();
    }
  });

  // Last: it leaves this client's address over the /api/auth limit for a few seconds.
  it('limits bursts on /api/auth with 429 problem+json, logged with the method the client sent', async () => {
    const responses = await Promise.all(
      Array.from({ length: 60 }, () =>
        request(`${nginx.url}/api/auth/login`, { method: 'POST', body: '{}' }).then(async (res) => ({
          status: res.statusCode,
          headers: res.headers,
          text: await res.body.text(),
        })),
      ),
    );
    const limited = responses.filter((res) => res.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    expect(responses.filter((res) => res.status === 200).length).to.be.greaterThan(0);
    expectProblem(limited[0]!, 429);
    expect(limited[0]!.headers['retry-after']).to.equal('1');
    expect(await loggedMethod(limited[0]!.headers['x-request-id'])).to.equal('POST');
    // Other routes are not limited.
    expect((await get(nginx.url, '/api/users/me')).status).to.equal(200);
  });
});
