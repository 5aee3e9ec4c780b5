import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { HttpClient } from '../src/internal.js';
import { guardOutboundHttp, startStandIn, type OutboundGuard } from '../src/testing/index.js';

const run = promisify(execFile);

async function standIn() {
  return startStandIn((app) => {
    app.all('/{*rest}', (_req, res) => {
      res.json({ ok: true });
    });
  });
}

function nodeHttpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('guardOutboundHttp', () => {
  let guard: OutboundGuard;
  let refusals: Error[];
  let allowed: Awaited<ReturnType<typeof standIn>>;
  let stranger: Awaited<ReturnType<typeof standIn>>;

  beforeEach(async () => {
    [allowed, stranger] = await Promise.all([standIn(), standIn()]);
    refusals = [];
    guard = guardOutboundHttp({ onRefused: (error) => refusals.push(error) });
    guard.allow(allowed);
  });
  afterEach(async () => {
    guard.stop();
    await Promise.all([allowed.close(), stranger.close()]);
  });

  it('When calls go to an allowed origin, then fetch, HttpClient and node:http reach it', async () => {
    const client = new HttpClient({ name: 'allowed', baseUrl: allowed.url });

    const fetched = await fetch(`${allowed.url}/a`);
    await fetched.text();
    await client.get('/b');
    const status = await nodeHttpGet(`${allowed.url}/c`);

    expect([fetched.status, status]).to.deep.equal([200, 200]);
    expect(allowed.received.map((request) => request.path)).to.deep.equal(['/a', '/b', '/c']);
    expect(refusals).to.deep.equal([]);
  });

  it('When fetch, HttpClient or node:http call another origin, then each fails naming the URL and nothing is sent', async () => {
    const client = new HttpClient({ name: 'stranger', baseUrl: stranger.url, maxRetries: 1 });

    const outcomes = await Promise.allSettled([
      fetch(`${stranger.url}/payments?id=1`, { method: 'POST' }),
      client.post('/refunds', { amount: 1 }),
      nodeHttpGet(`${stranger.url}/orders`),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
    expect(guard.refused).to.have.members([
      `POST ${stranger.url}/payments?id=1`,
      `POST ${stranger.url}/refunds`,
      `GET ${stranger.url}/orders`,
    ]);
    expect(refusals.map((error) => error.message)).to.include(
      `Unexpected outbound HTTP call: GET ${stranger.url}/orders (allow its origin in the test)`,
    );
    expect(stranger.received).to.deep.equal([]);
  });

  it('When the code under test swallows the failure, then mocha still fails the test and prints the URL', async () => {
    const spec = fileURLToPath(new URL('./fixtures/unexpected-call.spec.ts', import.meta.url));

    const outcome = await run('npx', ['mocha', '--no-config', '--node-option', 'import=tsx', spec], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    }).then(
      () => ({ failed: false, output: '' }),
      (error: { stdout: string; stderr: string }) => ({ failed: true, output: error.stdout + error.stderr }),
    );

    expect(outcome.failed).to.equal(true);
    expect(outcome.output).to.include('1 failing');
    expect(outcome.output).to.include(
      'Unexpected outbound HTTP call: GET http://127.0.0.1:59999/v1/payments?id=42',
    );
  });
});
