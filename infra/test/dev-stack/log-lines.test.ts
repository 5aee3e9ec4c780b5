import { expect } from 'chai';
import { formatLogLine } from '../../src/dev-stack/logs.js';

/** A line of the gateway's access log as its `gateway_json` format writes it. */
const accessLine = (cache: string) =>
  JSON.stringify({
    time: '2026-12-02T03:30:01+00:00',
    reqId: 'f1e2d3',
    remoteAddr: '127.0.0.1',
    method: 'GET',
    uri: '/api/products?limit=20',
    status: 200,
    bytes: 27637,
    requestTime: 0.004,
    upstream: '127.0.0.1:4201',
    upstreamStatus: '200',
    upstreamTime: '0.004',
    cache,
  });

describe('dev stack: log lines', () => {
  it('When the gateway answers a catalog read through its micro-cache, then the line says whether the cache served it', () => {
    expect(formatLogLine(accessLine('HIT'))).to.equal(
      '03:30:01 GET /api/products?limit=20 200 0.004s → 127.0.0.1:4201 cache=HIT req=f1e2d3',
    );
  });

  it('When a request does not go through the micro-cache, then the line names no cache status', () => {
    expect(formatLogLine(accessLine(''))).to.equal(
      '03:30:01 GET /api/products?limit=20 200 0.004s → 127.0.0.1:4201 req=f1e2d3',
    );
  });

  it('When a service writes a pino line, then it reads as time, level, message, request and status', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 11, 2, 3, 30, 1, 123),
      msg: 'request completed',
      req: { id: 'f1e2d3', method: 'GET', url: '/api/users/me' },
      res: { statusCode: 401 },
      responseTime: 3,
    });
    expect(formatLogLine(line)).to.equal(
      '03:30:01.123 INFO request completed GET /api/users/me 401 3ms req=f1e2d3',
    );
  });
});
