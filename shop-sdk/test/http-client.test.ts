import { expect } from 'chai';
import { Problem } from '../src/index.js';
import { HttpClient, runWithRequestContext } from '../src/internal.js';
import { startStandIn } from '../src/testing/index.js';

describe('HttpClient', () => {
  it('When an instance is down, then GETs fail over to the other instance', async () => {
    const alive = await startStandIn((app) => app.get('/things', (_req, res) => res.json({ from: 'alive' })));
    const dead = await startStandIn(() => {});
    await dead.close();
    const client = new HttpClient({ name: 'things', baseUrl: `${dead.url},${alive.url}` });
    try {
      const answers = await Promise.all([1, 2, 3, 4].map(() => client.get<{ from: string }>('/things')));

      expect(answers.map((answer) => answer.from)).to.deep.equal(['alive', 'alive', 'alive', 'alive']);
    } finally {
      await alive.close();
    }
  });

  it('When the upstream answers 503 then recovers, then an idempotent call is retried and succeeds', async () => {
    let calls = 0;
    const flaky = await startStandIn((app) =>
      app.get('/stock', (_req, res) => {
        calls += 1;
        if (calls < 3) res.status(503).json({ type: 'about:blank', title: 'busy' });
        else res.json({ available: 7 });
      }),
    );
    const client = new HttpClient({ name: 'stock', baseUrl: flaky.url, maxRetries: 3 });
    try {
      expect(await client.get('/stock')).to.deep.equal({ available: 7 });
      expect(calls).to.equal(3);
    } finally {
      await flaky.close();
    }
  });

  it('When a POST without an idempotency key gets 503, then it is not repeated', async () => {
    const upstream = await startStandIn((app) => app.post('/orders', (_req, res) => res.status(503).end()));
    const client = new HttpClient({ name: 'orders', baseUrl: upstream.url, maxRetries: 3 });
    try {
      const failure = await client.post('/orders', { a: 1 }).catch((error: unknown) => error);

      expect((failure as Problem).status).to.equal(503);
      expect(upstream.received).to.have.length(1);
    } finally {
      await upstream.close();
    }
  });

  it('When a POST carries an idempotency key, then it is retried with the same key', async () => {
    const upstream = await startStandIn((app) =>
      app.post('/reservations', (_req, res) => {
        if (upstream.received.length < 2) res.status(502).end();
        else res.status(201).json({ ok: true });
      }),
    );
    const client = new HttpClient({ name: 'inventory', baseUrl: upstream.url, maxRetries: 3 });
    try {
      const answer = await client.post('/reservations', { orderId: 'o-1' }, { idempotencyKey: 'o-1' });

      expect(answer).to.deep.equal({ ok: true });
      expect(upstream.received.map((call) => call.headers['idempotency-key'])).to.deep.equal(['o-1', 'o-1']);
    } finally {
      await upstream.close();
    }
  });

  it('When the upstream answers problem+json, then a Problem with its type, status and extensions is thrown', async () => {
    const upstream = await startStandIn((app) =>
      app.post('/reserve', (_req, res) =>
        res
          .status(409)
          .type('application/problem+json')
          .send(
            JSON.stringify({
              type: 'https://escalable.shop/problems/out-of-stock',
              title: 'Out of stock',
              status: 409,
              available: { v1: 0 },
            }),
          ),
      ),
    );
    const client = new HttpClient({ name: 'product-service', baseUrl: upstream.url });
    try {
      const failure = (await client.post('/reserve', {}).catch((error: unknown) => error)) as Problem;

      expect(failure).to.be.instanceOf(Problem);
      expect(failure.slug).to.equal('out-of-stock');
      expect(failure.status).to.equal(409);
      expect(failure.extensions).to.include({ upstream: 'product-service' });
      expect(failure.extensions.available).to.deep.equal({ v1: 0 });
    } finally {
      await upstream.close();
    }
  });

  it('When an upstream keeps failing, then its circuit opens and calls fail fast with 503', async () => {
    const down = await startStandIn(() => {});
    await down.close();
    const client = new HttpClient({
      name: 'fragile',
      baseUrl: down.url,
      maxRetries: 0,
      breaker: { failures: 2, halfOpenAfterMs: 60_000 },
    });
    await client.get('/x').catch(() => undefined);
    await client.get('/x').catch(() => undefined);

    const failure = (await client.get('/x').catch((error: unknown) => error)) as Problem;

    // "paused" is the breaker's own answer: the call never reached the network.
    expect(failure.status).to.equal(503);
    expect(failure.detail).to.match(/paused/);
  });

  it('When the upstream is slower than the timeout, then 503 names the upstream', async () => {
    const slow = await startStandIn((app) =>
      app.get('/slow', (_req, res) => setTimeout(() => res.json({}), 500)),
    );
    const client = new HttpClient({ name: 'slowpoke', baseUrl: slow.url, timeoutMs: 100, maxRetries: 0 });
    try {
      const failure = (await client.get('/slow').catch((error: unknown) => error)) as Problem;

      expect(failure.status).to.equal(503);
      expect(failure.extensions.upstream).to.equal('slowpoke');
    } finally {
      await slow.close();
    }
  });

  it('When called while serving a request, then X-Request-Id is passed on', async () => {
    const upstream = await startStandIn((app) =>
      app.get('/echo', (req, res) => res.json({ id: req.headers['x-request-id'] })),
    );
    const client = new HttpClient({ name: 'echo', baseUrl: upstream.url });
    try {
      const answer = await runWithRequestContext({ requestId: 'trace-42' }, () =>
        client.get<{ id: string }>('/echo'),
      );

      expect(answer.id).to.equal('trace-42');
    } finally {
      await upstream.close();
    }
  });
});
