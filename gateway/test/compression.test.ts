import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { getGlobalDispatcher } from 'undici';
import {
  nginxOrSkip,
  startNginx,
  startStandIn,
  varyNames,
  type RunningNginx,
  type StandIn,
} from './helpers.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** A listing page's worth of JSON: 20 products as the catalog shows them, about 20 KB. */
function listingPage(url: string): string {
  const items = Array.from({ length: 20 }, (_, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    name: `remera azul ${index}`,
    description: 'Remera de algodón peinado, corte recto, cuello redondo.',
    variants: ['S', 'M', 'L'].map((size) => ({ sku: `REM-${index}-${size}`, options: { talle: size } })),
  }));
  return JSON.stringify({ url, total: 20, items });
}

describe('gateway: catalog reads compressed for the clients that ask, on a real nginx', function () {
  let nginx: RunningNginx;
  let productService: StandIn;
  let userService: StandIn;
  let paths = 0;
  const freshPath = () => `/api/products?page=${++paths}`;

  /** The answer's bytes as they came over the wire: undici's dispatcher does not decode them. */
  async function send(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
    const res = await getGlobalDispatcher().request({ origin: nginx.url, path, method: 'GET', headers });
    return { status: res.statusCode, headers: res.headers, bytes: Buffer.from(await res.body.arrayBuffer()) };
  }

  before(async function () {
    const binary = nginxOrSkip(this);
    productService = await startStandIn('product_service#1');
    productService.answerHeaders = () => ({ 'cache-control': 'public, max-age=30', vary: 'Authorization' });
    productService.answerBody = (echo) => listingPage(echo.url);
    userService = await startStandIn('user_service#1');
    userService.answerBody = (echo) => listingPage(echo.url);
    nginx = await startNginx(binary, {
      product_service: [productService.address],
      user_service: [userService.address],
    });
  });

  after(async () => {
    await nginx?.stop();
    await productService?.close().catch(() => undefined);
    await userService?.close().catch(() => undefined);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(nginx?.stderr());
  });

  it('When a browser asks for gzip, then a listing comes gzipped, at a fraction of its size, and unzips to what the service sent', async () => {
    const path = freshPath();

    const answer = await send(path, { 'accept-encoding': 'gzip, deflate, br' });

    expect(answer.status).to.equal(200);
    expect(answer.headers['content-encoding']).to.equal('gzip');
    expect(varyNames(answer.headers)).to.include('Accept-Encoding');
    expect(gunzipSync(answer.bytes).toString()).to.equal(listingPage(path));
    expect(answer.bytes.length).to.be.below(listingPage(path).length / 4);
  });

  it('When a client does not ask for gzip, then it gets the JSON as the service sent it', async () => {
    const path = freshPath();

    const answer = await send(path);

    expect(answer.headers['content-encoding']).to.equal(undefined);
    expect(answer.bytes.toString()).to.equal(listingPage(path));
  });

  it('When the micro-cache answers, then each client still gets the encoding it asked for', async () => {
    const path = freshPath();

    const plainFirst = await send(path);
    const gzipped = await send(path, { 'accept-encoding': 'gzip' });
    const plainAgain = await send(path);
    const reached = productService.received.filter((echo) => echo.url === path).length;

    expect(reached).to.equal(1);
    expect(plainFirst.bytes.toString()).to.equal(listingPage(path));
    expect(gzipped.headers['content-encoding']).to.equal('gzip');
    expect(gunzipSync(gzipped.bytes).toString()).to.equal(listingPage(path));
    expect(plainAgain.headers['content-encoding']).to.equal(undefined);
    expect(plainAgain.bytes.toString()).to.equal(listingPage(path));
  });

  it('When a signed-in user reads their own account, then it is never compressed: only public catalog reads are', async () => {
    const answer = await send('/api/users/me', { 'accept-encoding': 'gzip', authorization: 'Bearer token' });

    expect(answer.status).to.equal(200);
    expect(answer.headers['content-encoding']).to.equal(undefined);
    expect(answer.bytes.toString()).to.equal(listingPage('/api/users/me'));
  });
});
