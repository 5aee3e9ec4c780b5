// The gateway's nginx files for an overlay, rendered by @escalable/gateway from the same gateway.conf
// the gateway's tests run, with upstreams that name the services' Kubernetes Services.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderNginxConf, UPSTREAM_NAMES, type UpstreamName } from '@escalable/gateway/render';

/** What the overlays' gateway-nginx ConfigMap takes from a render (nginx.conf is the image's own). */
const GATEWAY_FILES = ['gateway.conf', 'upstreams.conf', 'cors-origins.conf'];

/**
 * Each upstream is its service's Service (`user_service` → `user-service:80`): one ClusterIP that
 * stays put and balances over the ready pods, so nginx resolves it once at start and needs no
 * `resolve` (nginx ≥ 1.27.3) to follow pods that come and go.
 */
export function kubernetesUpstreams(): Record<UpstreamName, string[]> {
  return Object.fromEntries(
    UPSTREAM_NAMES.map((name) => [name, [`${name.replaceAll('_', '-')}:80`]]),
  ) as Record<UpstreamName, string[]>;
}

/** cors-origins.txt: one origin pattern a line; `#` starts a comment. */
export function parseCorsOrigins(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** Writes OVERLAY/gateway-nginx/{gateway,upstreams,cors-origins}.conf from OVERLAY/cors-origins.txt. */
export async function renderGatewayConf(overlayDir: string): Promise<void> {
  const corsOrigins = parseCorsOrigins(await readFile(path.join(overlayDir, 'cors-origins.txt'), 'utf8'));
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'gateway-k8s-'));
  try {
    await renderNginxConf({ prefix, listen: 8080, upstreams: kubernetesUpstreams(), corsOrigins });
    const target = path.join(overlayDir, 'gateway-nginx');
    await mkdir(target, { recursive: true });
    await Promise.all(
      GATEWAY_FILES.map((file) => copyFile(path.join(prefix, 'conf', file), path.join(target, file))),
    );
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
}
