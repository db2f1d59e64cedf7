/**
 * Retries an async assertion every 20 ms until it passes, for effects that travel between processes (a broadcast, a
 * merge); rethrows its last failure after `timeoutMs`.
 */
export async function untilPasses(assertion: () => Promise<unknown> | unknown, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
