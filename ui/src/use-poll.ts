import { useCallback, useEffect, useRef, useState } from 'react';

/** What a polled resource holds: the last good answer, the last error, and a way to reload now. */
export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

interface Loaded<T> {
  key: string;
  data?: T;
  error?: Error;
}

/**
 * Loads `load()` now, whenever `key` changes, and again every `intervalMs` while the tab is visible (the dashboard's
 * live updates). An answer for an older key, or one a newer call overtook, is dropped.
 */
export function usePoll<T>(load: () => Promise<T>, key: string, intervalMs = 5000): Polled<T> {
  const [state, setState] = useState<Loaded<T>>();
  const loadRef = useRef(load);
  const generation = useRef(0);
  useEffect(() => {
    loadRef.current = load;
  });

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loadRef.current().then(
      (data) => {
        if (mine === generation.current) setState({ key, data });
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        const error = failure instanceof Error ? failure : new Error(String(failure));
        setState((previous) => ({ key, error, ...(previous?.key === key && previous.data !== undefined ? { data: previous.data } : {}) }));
      },
    );
  }, [key]);

  useEffect(() => {
    reload();
    if (intervalMs <= 0) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, reload]);

  const current = state?.key === key ? state : undefined;
  return { data: current?.data, error: current?.error, loading: current === undefined, reload };
}
