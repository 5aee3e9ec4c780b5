import { expect } from 'chai';
import { z } from 'zod';
import { parseInput } from '../src/server/index.js';
import { call, type ListeningServer } from '../src/testing/index.js';
import { serveTinyApp } from './tiny-app.js';

interface ProblemBody {
  status: number;
  invalidParams: Array<{ in: string; name: string; reason: string }>;
  moreInvalidParams?: boolean;
}

const names = (body: ProblemBody) => body.invalidParams.map((param) => param.name);

describe('Hostile input through the kit', () => {
  let server: ListeningServer;
  before(async () => {
    server = await serveTinyApp((app) => {
      app.post('/notes', (req, res) => {
        const note = z.strictObject({
          text: z.string().max(100).optional(),
          tags: z.array(z.string().max(3)).optional(),
          attributes: z.record(z.string(), z.string()).optional(),
          nested: z.unknown().optional(),
        });
        res.status(201).json(parseInput(note, req.body, 'body'));
      });
      // A route that reads its body without parseInput still gets only what the kit let through.
      app.post('/echo', (req, res) => {
        res.json({ received: req.body });
      });
      app.get('/search', (req, res) => {
        res.json(parseInput(z.object({ q: z.string().optional() }), req.query, 'query'));
      });
    });
  });
  after(() => server.close());

  const post = (path: string, rawBody: string) => call<ProblemBody>(server.url, 'POST', path, { rawBody });

  it('When 110 000 control characters fill a field, then a 400 under 4 KB names the first 20', async () => {
    const body = JSON.stringify({ tags: Array.from({ length: 1000 }, () => '\u0001'.repeat(110)) });
    expect(body.length).to.be.within(600_000, 1_000_000);

    const answer = await post('/notes', body);

    expect(answer.status).to.equal(400);
    expect(JSON.stringify(answer.body).length).to.be.below(4096);
    expect(answer.body.invalidParams).to.have.length(20);
    expect(answer.body.invalidParams[0]).to.deep.equal({
      in: 'body',
      name: 'tags.0',
      reason: 'must not contain control characters',
    });
    expect(answer.body.moreInvalidParams).to.equal(true);
  });

  it('When a list holds 110 000 entries, then 400 naming the list, before any schema spends time on them', async () => {
    const answer = await post(
      '/notes',
      JSON.stringify({ tags: Array.from({ length: 110_000 }, () => 'long') }),
    );

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams).to.deep.equal([
      { in: 'body', name: 'tags', reason: 'must not hold more than 1000 entries' },
    ]);
  });

  it('When a schema finds more than 20 faults, then the answer lists 20 and says there are more', async () => {
    const answer = await post('/notes', JSON.stringify({ tags: Array.from({ length: 1000 }, () => 'long') }));

    expect(answer.status).to.equal(400);
    expect(JSON.stringify(answer.body).length).to.be.below(4096);
    expect(names(answer.body)).to.have.length(20);
    expect(answer.body.moreInvalidParams).to.equal(true);
  });

  it('When a key or a field name is huge, then the answer echoes only its start', async () => {
    const answer = await post('/notes', JSON.stringify({ ['k'.repeat(500_000)]: 1 }));

    expect(answer.status).to.equal(400);
    expect(JSON.stringify(answer.body).length).to.be.below(4096);
  });

  it('When a 12 KB query or path is refused, then the answer still stays under 4 KB', async () => {
    const query = await call(server.url, 'GET', `/search?q=${'%01'.repeat(4000)}`);
    const path = await call(server.url, 'GET', `/${'x'.repeat(12_000)}`);

    expect([query.status, path.status]).to.deep.equal([400, 404]);
    expect(JSON.stringify(query.body).length).to.be.below(4096);
    expect(JSON.stringify(path.body).length).to.be.below(4096);
  });

  it('When JSON nests 2 000 deep, then 400 on every JSON route rather than a stack overflow', async () => {
    const deep = `{"nested":${'['.repeat(2000)}${']'.repeat(2000)}}`;

    const answers = await Promise.all([post('/notes', deep), post('/echo', deep)]);

    expect(answers.map((answer) => answer.status)).to.deep.equal([400, 400]);
    expect(answers[0]!.body.invalidParams[0]!.reason).to.equal('must not nest deeper than 32 levels');
    expect(answers[0]!.body.invalidParams[0]!.name).to.match(/^nested(\.0)+…$/);
  });

  it('When JSON nests 32 levels, then it is accepted, and at 33 refused', async () => {
    const nestedIn = (levels: number) => `{"nested":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

    const atLimit = await post('/echo', nestedIn(32));
    const beyond = await post('/echo', nestedIn(33));

    expect([atLimit.status, beyond.status]).to.deep.equal([200, 400]);
  });

  it('When text holds an unpaired UTF-16 surrogate, in a value or a key, then 400 naming the field', async () => {
    const inValue = await post('/notes', '{"text":"caf\\ud800e"}');
    const inRecord = await post('/notes', '{"attributes":{"color":"\\udc00"}}');
    const inKey = await post('/echo', '{"attributes":{"\\ud83d":"red"}}');
    const paired = await post('/notes', '{"text":"\\ud83d\\ude00"}');

    expect([inValue.status, inRecord.status, inKey.status, paired.status]).to.deep.equal([
      400, 400, 400, 201,
    ]);
    expect(inValue.body.invalidParams).to.deep.equal([
      { in: 'body', name: 'text', reason: 'must not contain unpaired UTF-16 surrogates' },
    ]);
    expect(names(inRecord.body)).to.deep.equal(['attributes.color']);
    expect(names(inKey.body)).to.deep.equal(['attributes.\ud83d']);
  });

  it('When a record holds a __proto__ key, then 400 naming it, instead of a field that vanishes', async () => {
    const answer = await post('/notes', '{"attributes":{"color":"red","__proto__":{"size":1}}}');
    const unvalidated = await post('/echo', '{"__proto__":{"admin":true}}');

    expect([answer.status, unvalidated.status]).to.deep.equal([400, 400]);
    expect(answer.body.invalidParams).to.deep.equal([
      { in: 'body', name: 'attributes.__proto__', reason: 'is not an accepted key' },
    ]);
  });

  it('When a query holds a __proto__ key or a control character, then 400 naming it', async () => {
    const answers = await Promise.all(
      ['?__proto__=1', '?q=a%01b'].map((query) => call<ProblemBody>(server.url, 'GET', `/search${query}`)),
    );
    const fine = await call(server.url, 'GET', '/search?q=caf%C3%A9');

    expect(answers.map((answer) => answer.status)).to.deep.equal([400, 400]);
    expect(answers.map((answer) => answer.body.invalidParams[0]!.name)).to.deep.equal(['__proto__', 'q']);
    expect(fine.body).to.deep.equal({ q: 'café' });
  });
});
