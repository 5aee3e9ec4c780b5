import { expect } from 'chai';
import { getGlobalDispatcher } from 'undici';
import {
  nginxOrSkip,
  startNginx,
  startStandIn,
  type Echo,
  type RunningNginx,
  type StandIn,
} from './helpers.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  echo?: Echo;
}

const STAFF = { authorization: 'Bearer staff-token' };
const ETAG = '"catalog-v1"';

/** What product-service answers a catalog read with (routes/catalog-cache.ts): public for visitors only. */
function productServiceCacheHeaders(echo: Echo): Record<string, string> {
  return {
    'cache-control': echo.headers.authorization ? 'private, no-store' : 'public, max-age=30',
    vary: 'Authorization',
    etag: ETAG,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('gateway: the micro-cache for anonymous catalog reads, on a real nginx', function () {
  let nginx: RunningNginx;
  let productService: StandIn;
  let paths = 0;
  /** A catalog URL no earlier test has read, so each test starts with an empty entry. */
  const freshPath = (base = '/api/products') => `${base}?page=${++paths}`;

  async function send(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
    const res = await getGlobalDispatcher().request({ origin: nginx.url, path, method, headers });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      echo: text ? (JSON.parse(text) as Echo) : undefined,
    };
  }

  /** How many requests for `path` reached product-service. */
  const reachedWith = (path: string) => productService.received.filter((echo) => echo.url === path).length;

  before(async function () {
    const binary = nginxOrSkip(this);
    productService = await startStandIn('product_service#1');
    nginx = await startNginx(binary, { product_service: [productService.address] });
  });

  beforeEach(() => {
    productService.answerHeaders = productServiceCacheHeaders;
    delete productService.failWith;
    delete productService.answerAfterMs;
  });

  after(async () => {
    await nginx?.stop();
    await productService?.close().catch(() => undefined);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(nginx?.stderr());
  });

  it('When a visitor reads a listing another read within the second, then the answer comes from the gateway, and from the service again two seconds on', async function () {
    this.slow(5_000);
    const path = freshPath();

    const first = await send(path);
    const second = await send(path);
    const reachedWithinTheSecond = reachedWith(path);
    await sleep(2_100);
    const later = await send(path);

    expect(first.status).to.equal(200);
    expect(second.status).to.equal(200);
    expect(second.echo).to.deep.equal(first.echo);
    expect(second.headers['cache-control']).to.equal('public, max-age=30');
    expect(reachedWithinTheSecond).to.equal(1);
    expect(later.status).to.equal(200);
    expect(reachedWith(path)).to.equal(2);
  });

  it('When the categories are read twice, then the second read comes from the gateway too', async () => {
    const path = freshPath('/api/categories');

    await send(path);
    const second = await send(path);

    expect(second.status).to.equal(200);
    expect(reachedWith(path)).to.equal(1);
  });

  it('When staff read a listing a visitor just read, then every staff read reaches the service and neither sees the other’s answer', async () => {
    const path = freshPath();

    const visitorFirst = await send(path);
    const staffReads = [await send(path, STAFF), await send(path, STAFF)];
    const visitorAfter = await send(path);

    for (const staff of staffReads) {
      expect(staff.status).to.equal(200);
      expect(staff.echo?.headers.authorization).to.equal(STAFF.authorization);
    }
    expect(visitorFirst.echo?.headers.authorization).to.equal(undefined);
    expect(visitorAfter.echo).to.deep.equal(visitorFirst.echo);
    expect(reachedWith(path)).to.equal(3);
  });

  it('When staff read a listing first, then the next visitor is answered by the service, not with the staff view', async () => {
    const path = freshPath();

    await send(path, STAFF);
    const visitor = await send(path);
    const secondVisitor = await send(path);

    expect(visitor.echo?.headers.authorization).to.equal(undefined);
    expect(secondVisitor.echo?.headers.authorization).to.equal(undefined);
    expect(reachedWith(path)).to.equal(2);
  });

  it('When a service wrongly calls a staff view public, without Vary, then the gateway still never keeps it nor answers staff from the cache', async () => {
    const path = freshPath();
    const staffFirst = freshPath();
    productService.answerHeaders = () => ({ 'cache-control': 'public, max-age=30' });

    const visitor = await send(path);
    const staff = await send(path, STAFF);
    await send(staffFirst, STAFF);
    const visitorAfterStaff = await send(staffFirst);

    expect(visitor.echo?.headers.authorization).to.equal(undefined);
    expect(staff.echo?.headers.authorization).to.equal(STAFF.authorization);
    expect(visitorAfterStaff.echo?.headers.authorization).to.equal(undefined);
    expect(reachedWith(path)).to.equal(2);
    expect(reachedWith(staffFirst)).to.equal(2);
  });

  it('When the service calls an answer private or says nothing of caching, then the gateway does not keep it', async () => {
    const path = freshPath();
    const unmarked = freshPath();

    productService.answerHeaders = () => ({ 'cache-control': 'private, no-store' });
    await send(path);
    await send(path);
    productService.answerHeaders = undefined;
    await send(unmarked);
    await send(unmarked);

    expect(reachedWith(path)).to.equal(2);
    expect(reachedWith(unmarked)).to.equal(2);
  });

  it('When a client asks for a fresh answer (a reload: no-cache, max-age=0), then it reaches the service', async () => {
    const path = freshPath();

    await send(path);
    const reloads = [
      await send(path, { 'cache-control': 'no-cache' }),
      await send(path, { 'cache-control': 'max-age=0' }),
      await send(path, { 'cache-control': 'no-store, max-age=0' }),
    ];

    for (const reload of reloads) expect(reload.status).to.equal(200);
    expect(reachedWith(path)).to.equal(4);
  });

  it('When the service answers 404 or 500, then the next read reaches the service again', async () => {
    const missing = freshPath();
    const failing = freshPath();

    productService.failWith = 404;
    const notFound = [await send(missing), await send(missing)];
    productService.failWith = 500;
    const failed = [await send(failing), await send(failing)];

    expect(notFound.map((answer) => answer.status)).to.deep.equal([404, 404]);
    expect(failed.map((answer) => answer.status)).to.deep.equal([500, 500]);
    expect(reachedWith(missing)).to.equal(2);
    expect(reachedWith(failing)).to.equal(2);
  });

  it('When product-service answers 503 after a listing expired, then visitors get the last listing and staff the 503', async function () {
    this.slow(5_000);
    const path = freshPath();
    const kept = await send(path);
    await sleep(2_100);

    productService.failWith = 503;
    const visitor = await send(path);
    const staff = await send(path, STAFF);

    expect(visitor.status).to.equal(200);
    expect(visitor.echo).to.deep.equal(kept.echo);
    expect(staff.status).to.equal(503);
  });

  it('When two listings differ only in their query, then each has its own entry', async () => {
    const byPrice = `/api/products?sort=price&run=${++paths}`;
    const newest = `/api/products?sort=newest&run=${paths}`;

    const answers = [await send(byPrice), await send(newest), await send(byPrice), await send(newest)];

    expect(answers.map((answer) => answer.echo?.url)).to.deep.equal([byPrice, newest, byPrice, newest]);
    expect(reachedWith(byPrice)).to.equal(1);
    expect(reachedWith(newest)).to.equal(1);
  });

  it('When twenty visitors miss the same entry at once, then one request reaches the service and all get its answer', async () => {
    const path = freshPath();
    productService.answerAfterMs = 300;

    const answers = await Promise.all(Array.from({ length: 20 }, () => send(path)));

    expect(answers.every((answer) => answer.status === 200)).to.equal(true);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.echo))).size).to.equal(1);
    expect(reachedWith(path)).to.equal(1);
  });

  it('When a visitor revalidates with a matching ETag, then the gateway answers 304, from the cache and past it', async () => {
    const path = freshPath();
    await send(path);

    const cached = await send(path, { 'if-none-match': ETAG });
    const reload = await send(path, { 'if-none-match': ETAG, 'cache-control': 'max-age=0' });

    expect(cached.status).to.equal(304);
    expect(reload.status).to.equal(304);
    expect(reachedWith(path)).to.equal(2);
  });

  it('When a cached answer goes to a page on an allowed origin and then to one without, then each gets its own CORS headers', async () => {
    const path = freshPath();

    const fromPage = await send(path, { origin: 'http://localhost:5173' });
    const direct = await send(path);

    expect(fromPage.headers['access-control-allow-origin']).to.equal('http://localhost:5173');
    expect(direct.headers['access-control-allow-origin']).to.equal(undefined);
    expect(reachedWith(path)).to.equal(1);
  });

  it('When products are written, then nothing is kept: POST and the import always reach the service', async () => {
    const path = freshPath();

    await send(path, { 'content-type': 'application/json' }, 'POST');
    await send(path, { 'content-type': 'application/json' }, 'POST');
    await send('/api/products/import', {}, 'GET');
    await send('/api/products/import', {}, 'GET');

    expect(reachedWith(path)).to.equal(2);
    expect(reachedWith('/api/products/import')).to.equal(2);
  });
});
