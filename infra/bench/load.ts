import autocannon from 'autocannon';

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
}

/** What each request sends, when it is not a plain GET. */
export interface RequestShape {
  method: 'POST';
  headers: Record<string, string>;
  /** Sent in turn, one per request across every connection. */
  bodies: string[];
}

/** Requests `url` (GET unless `shape` says) with autocannon for a warm-up, then for the measured duration. */
export async function measureUrl(
  url: string,
  settings: LoadSettings,
  shape?: RequestShape,
): Promise<LoadFigures> {
  const requests = shape && requestsOf(shape);
  if (settings.warmupSeconds > 0)
    await autocannon({ url, requests, connections: settings.connections, duration: settings.warmupSeconds });
  const result = await autocannon({
    url,
    requests,
    connections: settings.connections,
    duration: settings.durationSeconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    // A timed-out request is an error the client saw, like a refused connection.
    errors: result.errors + result.timeouts,
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
