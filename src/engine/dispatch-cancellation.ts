import type { Dispatcher } from 'undici';
import type { CancelSource } from '../core/index.js';

/** Ties a dispatched request to its attempt's cancellation; `release` once the request is over. */
export interface DispatchCancellation {
  /** For the handler's `onRequestStart`: aborts at once when already cancelled, else on the cancellation. */
  start(controller: Dispatcher.DispatchController): void;
  release(): void;
}

/** A cancellation of `signal` aborts the request with the cancellation's reason. */
export function dispatchCancellation(signal: CancelSource): DispatchCancellation {
  let onAbort: (() => void) | undefined;
  const reason = (): Error => (signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  return {
    start(controller) {
      if (signal.aborted) {
        controller.abort(reason());
        return;
      }
      onAbort = () => controller.abort(reason());
      signal.once('abort', onAbort);
    },
    release() {
      if (onAbort) signal.off('abort', onAbort);
    },
  };
}
