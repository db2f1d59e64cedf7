import type { StreamEvent } from '../../core/index.js';
import type { StreamEncoder } from '../dialect.js';

/**
 * A dialect's stream encoder that writes `wire` events (a same-format answer, already in the client's format) as they
 * came. Once a stream forwards, its frames carry the finish and usage themselves, so the encoder renders only errors
 * (which the upstream's frames never carry: the gateway words them) and adds no closing frames.
 */
export function forwardingStreamEncoder(inner: StreamEncoder): StreamEncoder {
  let forwarding = false;
  return {
    encode(event: StreamEvent): string {
      if (event.type === 'wire') {
        forwarding = true;
        return event.data;
      }
      return forwarding && event.type !== 'error' ? '' : inner.encode(event);
    },
    end: () => (forwarding ? '' : inner.end()),
  };
}
