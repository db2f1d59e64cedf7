const decoder = new TextDecoder();

/** An upstream request's body as text, whether it was serialised or is the client's own bytes. */
export function upstreamBodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : decoder.decode(body);
}
