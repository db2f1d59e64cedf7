import type { OutgoingHttpHeader } from 'node:http';
import type { FastifyReply } from 'fastify';

/** A response's headers as a flat `[name, value, …]` list, the form `writeHead` takes without copying an object. */
export type HeaderList = OutgoingHttpHeader[];

/** What Fastify sends a serialised object as; answers written here are labelled the same. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The headers the request's hooks already set on the reply (`x-request-id`, CORS, `connection: close` while
 * draining), first in a new list: an answer written straight to the socket must carry them as Fastify would have.
 */
export function replyHeaderList(reply: FastifyReply): HeaderList {
  const list: HeaderList = [];
  const set = reply.getHeaders();
  for (const name of Object.keys(set)) {
    const value = set[name];
    if (value !== undefined) list.push(name, value);
  }
  return list;
}

/** Appends each header of `from` to a flat header list. */
export function pushHeaders(list: HeaderList, from: Readonly<Record<string, string>> | undefined): void {
  if (from) for (const name of Object.keys(from)) list.push(name, from[name] as string);
}

/**
 * Sends a 200 JSON answer straight to the Node response with `headers` plus its type and length, past Fastify's send
 * path (its header object, hook runner and serialiser checks). One write of a finished body, as Fastify's own is.
 */
export function sendJsonDirect(reply: FastifyReply, headers: HeaderList, body: string): void {
  headers.push('content-type', JSON_TYPE, 'content-length', Buffer.byteLength(body));
  // Headers before the hijack: if one is refused, nothing was sent and Fastify can still answer the error.
  reply.raw.writeHead(200, headers);
  reply.hijack();
  reply.raw.end(body);
}
