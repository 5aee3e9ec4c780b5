import { expect } from 'chai';
import { createLogger, createServiceApp } from '../src/server/index.js';
import { call, listen, type ListeningServer } from '../src/testing/index.js';

/** A form posted as a browser or Twilio posts it. */
const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('Form bodies on the paths a service names', () => {
  let server: ListeningServer;
  before(async () => {
    server = await listen(
      createServiceApp({
        service: 'tiny',
        logger: createLogger('tiny', 'silent'),
        bodyLimit: '10kb',
        trustProxy: 'loopback',
        checkReadiness: async () => {},
        formBodyPaths: ['/callbacks/status'],
        routes: (app) => {
          app.post('/callbacks/status', (req, res) => res.json({ received: req.body }));
          app.post('/notes', (req, res) => res.json({ received: req.body }));
        },
      }),
    );
  });
  after(() => server.close());

  it('When a form is posted to a named path, then the route reads its fields', async () => {
    const answer = await call(server.url, 'POST', '/callbacks/status', form({ MessageStatus: 'delivered' }));

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ received: { MessageStatus: 'delivered' } });
  });

  it('When a form is posted to any other path, then 415 and the route never runs', async () => {
    const answer = await call(server.url, 'POST', '/notes', form({ text: 'hola' }));

    expect(answer.status).to.equal(415);
    expect(answer.headers['content-type']).to.include('application/problem+json');
  });

  it('When a form field holds a control character, then the kit refuses it as it would in JSON', async () => {
    const answer = await call(server.url, 'POST', '/callbacks/status', form({ MessageStatus: 'a\u0001b' }));

    expect(answer.status).to.equal(400);
  });

  it('When a form has more fields than the kit reads, then 413 with the payload-too-large problem type', async () => {
    // Small enough to stay under the body limit, so only the field count is refused.
    const fields = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`f${i}`, '']));

    const answer = await call(server.url, 'POST', '/callbacks/status', form(fields));

    expect(answer.status).to.equal(413);
    expect(answer.body).to.include({
      status: 413,
      type: 'https://escalable.shop/problems/payload-too-large',
    });
  });
});
