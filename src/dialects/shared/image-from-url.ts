import { GatewayError, parseDataUrl, type ImagePart } from '../../core/index.js';

/** Reads an OpenAI-style image URL (`https://…` or a base64 `data:` URL) into an image part; `urlPath` names it in errors. */
export function imageFromUrl(url: string, urlPath: string): ImagePart {
  if (url.startsWith('data:')) {
    const data = parseDataUrl(url);
    if (!data) {
      throw new GatewayError('invalid_request', `Invalid image data URL at ${urlPath}: expected data:<media type>;base64,<data>`, {
        param: urlPath,
      });
    }
    return { type: 'image', source: { kind: 'base64', mediaType: data.mediaType, data: data.data } };
  }
  if (/^https:\/\/\S+$/i.test(url)) return { type: 'image', source: { kind: 'url', url } };
  throw new GatewayError('invalid_request', `Invalid image URL at ${urlPath}: expected an https:// or data: URL`, { param: urlPath });
}
