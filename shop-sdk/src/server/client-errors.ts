import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_TYPE_BASE } from '../problem.js';

/** Node's parser codes for requests it refuses before Express sees them, with the answer each deserves. */
const STATUS_BY_CODE: Record<string, { status: number; reason: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    detail: 'The request headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    detail: 'The request was not received in time',
  },
};
const MALFORMED = { status: 400, reason: 'Bad Request', detail: 'The request is not valid HTTP/1.1' };

/**
 * Node answers requests its HTTP parser refuses (a control byte in a header value, a bad request line)
 * with an empty 400 and no Content-Type. The shop promises problem+json on every answer, so the server
 * writes the problem itself; a client that already went away gets nothing.
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, reason, detail } = (error.code && STATUS_BY_CODE[error.code]) || MALFORMED;
    const body = JSON.stringify({
      type: `${PROBLEM_TYPE_BASE}bad-request`,
      title: 'The request is malformed',
      status,
      detail,
    });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
