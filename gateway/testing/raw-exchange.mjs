// Raw HTTP exchanges for tests of the gateway's edge: the gateway's own tests and the infra e2e suite.
import net from 'node:net';

/**
 * Writes `bytes` as they are to the server at `origin` and reads the answer until the server closes:
 * for requests no HTTP client would send (a raw non-ASCII byte, `HTTP/2.0` on a plain socket, no Host).
 */
export function rawExchange(origin, bytes) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const chunks = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(parseRawAnswer(Buffer.concat(chunks).toString('latin1'))));
    socket.on('error', reject);
  });
}

function parseRawAnswer(raw) {
  const headEnd = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = (headEnd < 0 ? raw : raw.slice(0, headEnd)).split('\r\n');
  const headers = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const text = headEnd < 0 ? '' : raw.slice(headEnd + 4);
  return { statusLine, status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN), headers, text };
}
