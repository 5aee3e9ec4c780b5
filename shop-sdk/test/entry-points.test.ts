import { createRequire } from 'node:module';
import { expect } from 'chai';
import { Problem } from '@escalable/shop-sdk';
import { HttpClient } from '@escalable/shop-sdk/internal';
import { startStandIn } from '../src/testing/index.js';

// Against the built package, as services and apps load it: the public entry and /internal are separate
// files, and a Problem thrown by one must still be the other's Problem.
const require = createRequire(import.meta.url);

async function upstreamAnswering404() {
  return startStandIn((app) =>
    app.get('/thing', (_req, res) => {
      res
        .status(404)
        .type('application/problem+json')
        .json({ type: 'not-found', title: 'Not found', status: 404 });
    }),
  );
}

describe('Entry points of the built package', () => {
  it('When /internal throws a Problem in ESM, then it is an instance of the public entry’s Problem', async () => {
    const upstream = await upstreamAnswering404();
    try {
      const client = new HttpClient({ name: 'things', baseUrl: upstream.url, maxRetries: 0 });

      const failure = await client.get('/thing').catch((error: unknown) => error);

      expect(failure).to.be.instanceOf(Problem);
    } finally {
      await upstream.close();
    }
  });

  it('When /internal throws a Problem in CommonJS, then it is an instance of the public entry’s Problem', async () => {
    const upstream = await upstreamAnswering404();
    try {
      const { Problem: CjsProblem } = require('@escalable/shop-sdk') as typeof import('@escalable/shop-sdk');
      const { HttpClient: CjsHttpClient } =
        require('@escalable/shop-sdk/internal') as typeof import('@escalable/shop-sdk/internal');
      const client = new CjsHttpClient({ name: 'things', baseUrl: upstream.url, maxRetries: 0 });

      const failure = await client.get('/thing').catch((error: unknown) => error);

      expect(failure).to.be.instanceOf(CjsProblem);
    } finally {
      await upstream.close();
    }
  });
});
