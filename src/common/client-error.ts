import type { Duplex } from 'node:stream';
import { ERROR_CODES } from './errors';
import { ErrorEnvelope } from './envelope';

/** Node's parser codes with a more precise status than 400. */
const STATUS_BY_CODE: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request was not received in time.'],
  HPE_HEADERS_TIMEOUT: [408, 'Request Timeout', 'The request headers were not received in time.'],
};

/**
 * The http server's `clientError` handler: a request Node's HTTP parser refused
 * (bad request line, invalid header, bad chunked encoding…) gets the Kombo error
 * envelope instead of Node's bare "400 Bad Request", where the socket can still
 * take an answer.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = STATUS_BY_CODE[err.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP and could not be read.'];
  const envelope: ErrorEnvelope = {
    status: 'error',
    error: { code: 'PLATFORM.INPUT_INVALID', title: ERROR_CODES['PLATFORM.INPUT_INVALID'].title, message, log_url: null },
  };
  const body = JSON.stringify(envelope);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
