import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListeningServer } from './http-server.js';

export interface GatewayStandIn extends ListeningServer {
  /** Where requests go on to: the service under test, once it listens. */
  target: string;
  /** While true, every request is answered 503 unforwarded, as a gateway with no instance up would. */
  closed: boolean;
}

/**
 * The public entry in front of a service under test, as the gateway is: providers call back to
 * PUBLIC_BASE_URL (MercadoPago notifications, Twilio status callbacks, signed for that URL), which must
 * be known before the service listens, so it is this forwarder's address. Set `target` once it does.
 */
export async function startGatewayStandIn(): Promise<GatewayStandIn> {
  const server = createServer((incoming, answer) => {
    if (standIn.closed) {
      incoming.resume();
      answer.writeHead(503).end();
      return;
    }
    const forwarded = request(
      new URL(incoming.url ?? '/', standIn.target),
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    forwarded.on('error', () => answer.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: GatewayStandIn = {
    url: `http://127.0.0.1:${port}`,
    target: '',
    closed: false,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return standIn;
}
