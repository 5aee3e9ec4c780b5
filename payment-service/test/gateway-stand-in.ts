import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListeningServer } from '@escalable/shop-sdk/testing';

export interface GatewayStandIn extends ListeningServer {
  /** Where requests go on to: the service under test, once it listens. */
  target: string;
  /** While true, every request is answered 503 unforwarded, as a gateway with no instance up would. */
  closed: boolean;
}

/**
 * The public entry in front of the service, as the gateway is: MercadoPago's notifications go to
 * PUBLIC_BASE_URL, which must be known before the service listens, so it is this forwarder's address.
 */
export async function startGatewayStandIn(): Promise<GatewayStandIn> {
  const state = { target: '', closed: false };
  const server = createServer((incoming, answer) => {
    if (state.closed) {
      incoming.resume();
      answer.writeHead(503).end();
      return;
    }
    const forwarded = request(
      new URL(incoming.url ?? '/', state.target),
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
  return {
    url: `http://127.0.0.1:${port}`,
    get target() {
      return state.target;
    },
    set target(value: string) {
      state.target = value;
    },
    get closed() {
      return state.closed;
    },
    set closed(value: boolean) {
      state.closed = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
