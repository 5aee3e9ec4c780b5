import net from 'node:net';
import { expect } from 'chai';
import type { ListeningServer } from '../src/testing/index.js';
import { serveTinyApp } from './tiny-app.js';

/** Sends raw bytes and reads the whole answer: what a client that is not a well-behaved HTTP library gets. */
function rawExchange(url: string, request: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request, 'latin1'));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...headers] = head.split('\r\n');
  return { status: Number(statusLine.split(' ')[1]), headers: headers.join('\n').toLowerCase(), body };
}

describe('Requests Node cannot parse', () => {
  let server: ListeningServer;
  before(async () => {
    server = await serveTinyApp((app) => app.get('/ping', (_req, res) => res.json({ ok: true })));
  });
  after(() => server.close());

  it('When a header value holds a control byte, then the answer is a 400 problem+json', async () => {
    const answer = parse(
      await rawExchange(server.url, 'GET /ping HTTP/1.1\r\nHost: x\r\nX-Note: a\x7fb\r\n\r\n'),
    );

    expect(answer.status).to.equal(400);
    expect(answer.headers).to.include('content-type: application/problem+json');
    expect(JSON.parse(answer.body)).to.include({ status: 400, title: 'The request is malformed' });
  });

  it('When the request line is not HTTP, then the answer is a 400 problem+json', async () => {
    const answer = parse(await rawExchange(server.url, 'GET /ping HTTP/9.9 junk\r\n\r\n'));

    expect(answer.status).to.equal(400);
    expect(answer.headers).to.include('content-type: application/problem+json');
  });

  it('When the headers are larger than Node accepts, then the answer is a 431 problem+json', async () => {
    const answer = parse(
      await rawExchange(server.url, `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );

    expect(answer.status).to.equal(431);
    expect(JSON.parse(answer.body)).to.include({ status: 431 });
  });

  it('When a well-formed request follows, then it is served as usual', async () => {
    const answer = parse(
      await rawExchange(server.url, 'GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );

    expect(answer.status).to.equal(200);
  });
});
