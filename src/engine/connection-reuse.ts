import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/** What one pooled connection has carried: requests sent on it, and how much it had read when the last one went out. */
interface ConnectionUse {
  requests: number;
  bytesReadAtLastSend: number;
}

const uses = new WeakMap<Socket, ConnectionUse>();
/** The connection each socket error came from, so a failed request can tell a reused connection from a fresh one. */
const failedOn = new WeakMap<object, Socket>();

function isTracked(socket: unknown): socket is Socket {
  return typeof socket === 'object' && socket !== null && uses.has(socket as Socket);
}

// undici announces every request it writes, with its socket; only the pools' own connections are tracked.
subscribe('undici:client:sendHeaders', (message) => {
  const socket = (message as { socket?: unknown }).socket;
  if (!isTracked(socket)) return;
  const use = uses.get(socket) as ConnectionUse;
  use.requests += 1;
  use.bytesReadAtLastSend = socket.bytesRead;
});

/** An undici connector that opens connections as undici would, and tracks each one's reuse. */
export function trackingConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector(options);
  return (connectOptions, callback) =>
    connect(connectOptions, (...result) => {
      if (result[0] === null) {
        const socket = result[1];
        uses.set(socket, { requests: 0, bytesReadAtLastSend: 0 });
        // Registered before undici's own listeners, so the error is tied to its socket before undici fails the request.
        socket.on('error', (socketError: Error) => failedOn.set(socketError, socket));
      }
      callback(...result);
    });
}

/**
 * True when a request failed because a reused keep-alive connection was closed or reset before any byte of its
 * response: the server dropped an idle connection as the request went out (llama.cpp closes after every streamed
 * reply). Such a request is safe to send once more on a fresh connection; a fresh connection's failure is not.
 */
export function isReusedConnectionReset(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const socket = failedOn.get(error);
  if (!socket) return false;
  const use = uses.get(socket);
  return use !== undefined && use.requests > 1 && socket.bytesRead === use.bytesReadAtLastSend;
}
