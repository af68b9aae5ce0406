/**
 * Requests Node's HTTP parser refuses before express sees them (a request line or headers past
 * the 16 KiB limit, a malformed request line or header): Node would answer a bare 431 / 400 with
 * no body. They get the error envelope like every other refusal, then the connection closes (the
 * parser cannot go on after an error).
 */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { failure } from './envelope.ts';

/** The status and words for a parser error code (`HPE_HEADER_OVERFLOW`, …). */
function refusal(code: string | undefined): { http: number; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { http: 431, message: 'request line and headers are larger than 16 KiB' };
  return { http: 400, message: `malformed HTTP request (${code ?? 'parse error'})` };
}

/** For `server.on('clientError', …)`: answer in the envelope where the socket still takes it. */
export function answerClientError(err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { http, message } = refusal(err.code);
  const status = STATUS_CODES[http] ?? 'Bad Request';
  // An answer to HEAD has no body (its length is still announced).
  const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
  const envelope = JSON.stringify(
    failure({ code: http, http, status, message, fidelity: 'emulator-defined' }, message),
  );
  const body = head ? '' : envelope;
  socket.end(
    `HTTP/1.1 ${http} ${status}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(envelope)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
