import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

/** Stands in for notification-service's status callback route: keeps what it receives. */
export async function startCallbackReceiver(answers: number[] = []) {
  const received: ReceivedCallback[] = [];
  const server = createServer(async (req, res) => {
    const params = Object.fromEntries(new URLSearchParams(await text(req)));
    received.push({
      url: `${url}${req.url}`,
      signature: req.headers['x-twilio-signature'] as string | undefined,
      params,
    });
    res.statusCode = answers.shift() ?? 204;
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Resolves once `count` callbacks have arrived. */
    async waitFor(count: number): Promise<ReceivedCallback[]> {
      const deadline = Date.now() + 5_000;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function text(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}
