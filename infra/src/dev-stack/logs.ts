import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** `raw` is the line as the process wrote it, given with the first line formatted from it. */
export type Log = (line: string, raw?: string) => void;

/** Writes every line of `stream` as `name | line`, JSON log lines shown compactly. */
export function prefixLines(stream: Readable, name: string, log: Log): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    formatLogLine(line)
      .split('\n')
      .forEach((part, index) => log(`${name} | ${part}`, index === 0 ? `${name} | ${line}` : undefined));
  });
}

const PINO_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
// Fields every pino line carries, or that the compact form already shows.
const PINO_SHOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'name',
  'msg',
  'req',
  'res',
  'responseTime',
  'err',
  'reqId',
]);

/**
 * A pino line becomes `12:00:01.123 INFO request completed GET /api/users/me 401 3ms req=…`, the
 * gateway's access log `12:00:01 GET /api/products 200 0.003s → 127.0.0.1:4201 cache=MISS req=…`;
 * other lines are left as they are.
 */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.level === 'number' && typeof entry.msg === 'string') return formatPino(entry);
  if (typeof entry.status === 'number' && typeof entry.uri === 'string') return formatAccess(entry);
  return line;
}

function formatPino(entry: Record<string, unknown>): string {
  const req = entry.req as { id?: string; method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !PINO_SHOWN.has(key)));
  const parts = [
    typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '',
    PINO_LEVELS[entry.level as number] ?? String(entry.level),
    entry.msg as string,
    req ? `${req.method} ${req.url}` : '',
    res?.statusCode ?? '',
    typeof entry.responseTime === 'number' ? `${entry.responseTime}ms` : '',
    Object.keys(rest).length > 0 ? JSON.stringify(rest) : '',
    req?.id ? `req=${req.id}` : '',
  ];
  const text = parts.filter((part) => part !== '').join(' ');
  return err ? `${text}\n${err.stack ?? err.message}` : text;
}

function formatAccess(entry: Record<string, unknown>): string {
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const upstream = entry.upstream ? ` → ${entry.upstream}` : '';
  // Empty unless the request went through the micro-cache: HIT, MISS, STALE, UPDATING, BYPASS…
  const cache = entry.cache ? ` cache=${entry.cache as string}` : '';
  return `${time} ${entry.method} ${entry.uri} ${entry.status} ${entry.requestTime}s${upstream}${cache} req=${entry.reqId}`;
}
