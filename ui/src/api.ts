const STORAGE_KEY = 'switchyard.adminKey';

/** An admin API answer other than 2xx, with the gateway's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The admin key of this browser tab; kept in sessionStorage so it is gone when the tab closes. */
export const adminKey = {
  get: (): string | null => sessionStorage.getItem(STORAGE_KEY),
  set: (key: string): void => sessionStorage.setItem(STORAGE_KEY, key),
  clear: (): void => sessionStorage.removeItem(STORAGE_KEY),
};

let onUnauthorized: () => void = () => undefined;

/** Called when the gateway stops accepting the key (changed or removed): the app signs out. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

function headers(extra: Record<string, string> = {}, key = adminKey.get()): Record<string, string> {
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

async function failure(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body: unknown = await response.json();
    const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
    if (typeof error === 'object' && error !== null) {
      const fields = error as { code?: unknown; message?: unknown };
      if (typeof fields.code === 'string') code = fields.code;
      if (typeof fields.message === 'string') message = fields.message;
    }
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, code, message);
}

/** Calls the gateway with the admin key; resolves with the JSON body or rejects with an ApiError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string; signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: headers(init.body === undefined ? {} : { 'content-type': 'application/json' }, init.key ?? adminKey.get()),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401 && init.key === undefined) onUnauthorized();
    throw error;
  }
  return (await response.json()) as T;
}

/** Reads a file the gateway serves to the admin (a download); rejects with an ApiError. */
export async function apiBlob(path: string): Promise<Blob> {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw await failure(response);
  return response.blob();
}

/** Starts a streaming POST with the admin key; the caller reads the body. */
export async function apiStream(path: string, body: unknown, signal: AbortSignal): Promise<Response> {
  const response = await fetch(path, { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body: JSON.stringify(body), signal });
  if (!response.ok) throw await failure(response);
  return response;
}

/** A query string from the set fields of an object. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
