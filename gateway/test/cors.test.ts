import { expect } from 'chai';
import { getGlobalDispatcher } from 'undici';
import { renderNginxConf, UPSTREAM_NAMES } from '../nginx/render.mjs';
import { rawExchange } from '../testing/raw-exchange.mjs';
import {
  nginxOrSkip,
  startNginx,
  startStandIn,
  varyNames,
  type RunningNginx,
  type StandIn,
} from './helpers.js';

const DEV_PAGE = 'http://localhost:5173';
const FOREIGN_PAGE = 'https://evil.example';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Cart-Token, X-Request-Id';
const EXPOSED_HEADERS = 'Location, X-Cart-Token, X-Request-Id, ETag, Retry-After';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(
  origin: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Answer> {
  const res = await getGlobalDispatcher().request({
    origin,
    path,
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

const preflight = (gateway: string, path: string, from: string, method = 'POST') =>
  send(gateway, path, {
    method: 'OPTIONS',
    headers: {
      origin: from,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type',
    },
  });

function corsHeaders(answer: Answer): string[] {
  return Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));
}

function expectAllowedOrigin(answer: Answer, origin: string) {
  expect(answer.headers['access-control-allow-origin']).to.equal(origin);
  expect(answer.headers['access-control-expose-headers']).to.equal(EXPOSED_HEADERS);
  expect(varyNames(answer.headers)).to.include('Origin');
  expect(answer.headers['access-control-allow-credentials']).to.equal(undefined);
}

describe('gateway: CORS on a real nginx', function () {
  let binary: string;
  let nginx: RunningNginx;
  let standIns: StandIn[];
  const reached = () => standIns.reduce((sum, standIn) => sum + standIn.received.length, 0);

  before(async function () {
    binary = nginxOrSkip(this);
    standIns = await Promise.all(UPSTREAM_NAMES.map((name) => startStandIn(name)));
    const upstreams = Object.fromEntries(standIns.map((standIn) => [standIn.instance, [standIn.address]]));
    // Without corsOrigins, as the dev stack runs it: any port of localhost and 127.0.0.1.
    nginx = await startNginx(binary, upstreams);
  });

  after(async () => {
    await nginx?.stop();
    await Promise.all((standIns ?? []).map((standIn) => standIn.close().catch(() => undefined)));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(nginx?.stderr());
  });

  it('When a page on an allowed origin sends a preflight, then nginx grants it itself with 204', async () => {
    const before = reached();

    const answer = await preflight(nginx.url, '/api/auth/login', DEV_PAGE);

    expect(answer.status).to.equal(204);
    expectAllowedOrigin(answer, DEV_PAGE);
    expect(answer.headers['access-control-allow-methods']).to.equal('GET, HEAD, POST, PATCH, DELETE');
    expect(answer.headers['access-control-allow-headers']).to.equal(ALLOWED_HEADERS);
    expect(answer.headers['access-control-max-age']).to.equal('3600');
    expect(reached()).to.equal(before);
  });

  it('When a page on a foreign origin sends a preflight, then it gets no Access-Control header and no service sees it', async () => {
    const before = reached();

    const answers = await Promise.all(
      [FOREIGN_PAGE, 'http://localhost', 'http://localhost.evil.example:5173', 'null'].map((from) =>
        preflight(nginx.url, '/api/users/me', from, 'PATCH'),
      ),
    );

    for (const answer of answers) {
      expect(answer.status).to.equal(204);
      expect(corsHeaders(answer)).to.deep.equal([]);
    }
    expect(reached()).to.equal(before);
  });

  it('When a page sends a burst of preflights to /api/auth, then they do not count against its rate limit', async () => {
    const preflights = await Promise.all(
      Array.from({ length: 60 }, () => preflight(nginx.url, '/api/auth/login', DEV_PAGE)),
    );

    const login = await send(nginx.url, '/api/auth/login', { method: 'POST', body: '{}' });

    expect(preflights.map((answer) => answer.status)).to.deep.equal(Array(60).fill(204));
    expect(login.status).to.equal(200);
  });

  it("When an allowed origin calls the API, then the service's answer carries Allow-Origin, Expose-Headers and Vary", async () => {
    const answer = await send(nginx.url, '/api/products?limit=2', {
      headers: { origin: 'http://127.0.0.1:3000' },
    });

    expect(answer.status).to.equal(200);
    expect(JSON.parse(answer.text)).to.include({ instance: 'product_service' });
    expectAllowedOrigin(answer, 'http://127.0.0.1:3000');
    expect(answer.headers['access-control-allow-methods']).to.equal(undefined);
  });

  it('When a foreign origin calls the API, then the answer carries no Access-Control header', async () => {
    const answer = await send(nginx.url, '/api/products', { headers: { origin: FOREIGN_PAGE } });

    expect(answer.status).to.equal(200);
    expect(corsHeaders(answer)).to.deep.equal([]);
    expect(varyNames(answer.headers)).to.include('Origin');
  });

  it("When the gateway refuses an allowed origin's request itself, then its problem+json carries Allow-Origin too", async () => {
    const headers = { origin: DEV_PAGE };

    const notFound = await send(nginx.url, '/internal/users/1', { headers });
    const tooLarge = await send(nginx.url, '/api/users', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.alloc(2 * 1024 * 1024, 'a'),
    });
    const malformed = await send(nginx.url, '/api/users//me', { headers });
    const trace = await rawExchange(
      nginx.url,
      `TRACE /api/products HTTP/1.1\r\nHost: shop\r\nOrigin: ${DEV_PAGE}\r\nConnection: close\r\n\r\n`,
    );

    for (const [answer, status] of [
      [notFound, 404],
      [tooLarge, 413],
      [malformed, 400],
      [trace, 405],
    ] as const) {
      expect(answer.status).to.equal(status);
      expect(answer.headers['content-type']).to.equal('application/problem+json');
      expectAllowedOrigin(answer, DEV_PAGE);
    }
    expect(trace.headers.allow).to.equal('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
  });

  it('When OPTIONS comes without Origin or without Access-Control-Request-Method, then it reaches the service as before', async () => {
    const plain = await send(nginx.url, '/api/cart', { method: 'OPTIONS' });
    const notPreflight = await send(nginx.url, '/api/cart', {
      method: 'OPTIONS',
      headers: { origin: DEV_PAGE },
    });

    expect(plain.status).to.equal(200);
    expect(JSON.parse(plain.text)).to.include({ instance: 'cart_service', method: 'OPTIONS' });
    expect(corsHeaders(plain)).to.deep.equal([]);
    expect(notPreflight.status).to.equal(200);
    expect(JSON.parse(notPreflight.text)).to.include({ instance: 'cart_service', method: 'OPTIONS' });
    expectAllowedOrigin(notPreflight, DEV_PAGE);
  });

  it('When an environment lists its own origins, then only those match, * standing for one label', async () => {
    const shop = await startNginx(
      binary,
      {},
      { corsOrigins: ['https://shop.example', 'https://*.shop.example'] },
    );
    try {
      const allowed = ['https://shop.example', 'https://www.shop.example', 'https://es-ar.shop.example'];
      const refused = [
        DEV_PAGE,
        'http://shop.example',
        'https://shop.example:8443',
        'https://a.b.shop.example',
        'https://shop.example.evil.example',
        'https://evilshop.example',
      ];

      const answers = await Promise.all(
        [...allowed, ...refused].map((from) => preflight(shop.url, '/api/cart', from)),
      );

      answers.slice(0, allowed.length).forEach((answer, i) => expectAllowedOrigin(answer, allowed[i]!));
      answers.slice(allowed.length).forEach((answer) => expect(corsHeaders(answer)).to.deep.equal([]));
    } finally {
      await shop.stop();
    }
  });

  it('When an origin pattern is not scheme://host[:port], then rendering the config refuses it', async () => {
    for (const pattern of [
      'https://shop.example/',
      'https://shop.example/path',
      'HTTPS://Shop.example',
      '*',
      'shop.example',
    ]) {
      await renderNginxConf({
        prefix: '/nonexistent',
        listen: 1,
        upstreams: {},
        corsOrigins: [pattern],
      }).then(
        () => expect.fail(`${pattern} was accepted`),
        (error: Error) => expect(error.message).to.include('CORS origins must be'),
      );
    }
  });

  // Last: it leaves this client's address over the /api/auth limit for a few seconds.
  it('When an allowed origin is rate limited, then the 429 carries Allow-Origin and lets the page read Retry-After', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        send(nginx.url, '/api/auth/login', { method: 'POST', headers: { origin: DEV_PAGE }, body: '{}' }),
      ),
    );

    const limited = answers.find((answer) => answer.status === 429);
    expect(limited, 'no request was limited').to.not.equal(undefined);
    expectAllowedOrigin(limited!, DEV_PAGE);
    expect(limited!.headers['retry-after']).to.equal('1');
  });
});
