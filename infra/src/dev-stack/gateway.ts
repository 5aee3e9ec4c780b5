import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { fetchServiceDocuments, writeApiDocs } from '@escalable/gateway/api-docs';
import { renderNginxConf, type UpstreamName } from '@escalable/gateway/render';
import { prefixLines, type Log } from './logs.js';
import { startProcess, type ManagedProcess } from './processes.js';

export const NGINX_MISSING =
  'nginx not found on PATH: install it (Debian/Ubuntu: sudo apt-get install nginx-light; macOS: brew install nginx)';

export interface GatewayOptions {
  nginx: string;
  /** nginx's prefix: rendered config, temp files, pid. */
  prefix: string;
  port: number;
  upstreams: Partial<Record<UpstreamName, string[]>>;
  log: Log;
}

/**
 * Renders gateway.conf around the running instances, collects their public OpenAPI documents, and
 * starts nginx (ready once /healthz answers).
 */
export async function startGateway(
  options: GatewayOptions,
): Promise<{ url: string; process: ManagedProcess }> {
  const { args } = await renderNginxConf({
    prefix: options.prefix,
    listen: `127.0.0.1:${options.port}`,
    upstreams: options.upstreams,
  });
  // The services are ready by now: their public documents become /api/openapi.json and /api/docs.
  const firstInstances = Object.values(options.upstreams).flatMap((servers) => servers.slice(0, 1));
  await writeApiDocs(
    path.join(options.prefix, 'html'),
    await fetchServiceDocuments(firstInstances.map((server) => `http://${server}`)),
  );
  const accessLog = await openAccessLogFifo(path.join(options.prefix, 'access.fifo'));
  const nginx = startProcess({
    name: 'gateway',
    command: options.nginx,
    args,
    log: options.log,
    stdoutFd: accessLog.writeFd,
  });
  closeSync(accessLog.writeFd);
  prefixLines(accessLog.reader, 'gateway', options.log);
  accessLog.reader.on('error', (error) => options.log(`gateway | access log lost: ${error.message}`));
  void nginx.exited.then(() => accessLog.reader.destroy());
  return { url: `http://127.0.0.1:${options.port}`, process: nginx };
}

/**
 * gateway.conf logs to /dev/stdout, which nginx opens by path; Node's stdio pipes are sockets, which
 * cannot be opened that way (ENXIO), so nginx's stdout is a FIFO read here instead.
 */
async function openAccessLogFifo(fifo: string): Promise<{ writeFd: number; reader: Socket }> {
  await rm(fifo, { force: true });
  await promisify(execFile)('mkfifo', ['-m', '600', fifo]);
  // Opened read-write so that neither open blocks waiting for the other end.
  const readFd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  return {
    writeFd: openSync(fifo, 'w'),
    reader: new Socket({ fd: readFd, readable: true, writable: false }),
  };
}
