import net from 'node:net';

/**
 * The ports of `ports` something already listens on. Checked before starting: a readiness probe
 * would otherwise be answered by whatever holds the port (another dev stack, typically).
 */
export async function busyPorts(ports: readonly number[]): Promise<number[]> {
  const busy = await Promise.all(ports.map(async (port) => ((await canListen(port)) ? undefined : port)));
  return busy.filter((port): port is number => port !== undefined);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
