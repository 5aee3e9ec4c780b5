import autocannon from 'autocannon';
import type { CpuMeter, CpuShares } from './cpu.js';

export interface LoadSettings {
  connections: number;
  /** Not counted: connection pools, the JIT and PostgreSQL's caches settle first. */
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadFigures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Where the CPU went during the measured run, when it was asked for. */
  cpu?: CpuShares;
}

/** What each request sends, when it is not a plain GET. */
export interface RequestShape {
  method: 'POST';
  headers: Record<string, string>;
  /** Sent in turn, one per request across every connection. */
  bodies: string[];
}

/**
 * Whether the gateway's micro-cache may answer (anonymous catalog reads, see gateway/README.md).
 * `fresh` asks every request for a fresh answer, as a browser's reload does, so the figure is what the
 * service does; `cached` lets the gateway answer, and is reported apart from every other figure.
 */
export type CacheUse = 'fresh' | 'cached';

const HEADERS: Record<CacheUse, Record<string, string>> = {
  fresh: { 'cache-control': 'no-cache' },
  cached: {},
};

export interface MeasureOptions {
  /** What each request sends; a plain GET without it. */
  shape?: RequestShape;
  /** Past the gateway's micro-cache (`fresh`, the default) or through it. */
  cacheUse?: CacheUse;
  /** Started as the measured run starts, after the warm-up, and stopped when it ends. */
  cpu?: () => Promise<CpuMeter>;
}

/**
 * Requests `url` (GET unless `shape` says) with autocannon for a warm-up, then for the measured
 * duration; past the gateway's micro-cache unless `cacheUse` is `cached`; with where the machine's CPU
 * went during the measured run when `cpu` is given.
 */
export async function measureUrl(
  url: string,
  settings: LoadSettings,
  { shape, cacheUse = 'fresh', cpu }: MeasureOptions = {},
): Promise<LoadFigures> {
  const headers = HEADERS[cacheUse];
  const requests = shape && requestsOf({ ...shape, headers: { ...headers, ...shape.headers } });
  const run = (duration: number) =>
    autocannon({ url, headers, requests, connections: settings.connections, duration });
  if (settings.warmupSeconds > 0) await run(settings.warmupSeconds);
  const meter = await cpu?.();
  const result = await run(settings.durationSeconds);
  const shares = await meter?.stop();
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    // A timed-out request is an error the client saw, like a refused connection.
    errors: result.errors + result.timeouts,
    ...(shares && { cpu: shares }),
  };
}

function requestsOf({ method, headers, bodies }: RequestShape) {
  let sent = 0;
  return [
    {
      method,
      headers,
      setupRequest: (request: Record<string, unknown>) => ({
        ...request,
        body: bodies[sent++ % bodies.length],
      }),
    },
  ];
}
