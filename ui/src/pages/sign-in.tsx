import { useState, type FormEvent } from 'react';
import { api, ApiError, adminKey } from '../api';

/** Asks for the admin key and checks it against the gateway before keeping it for this tab. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api('/admin/breakers', { key });
      adminKey.set(key);
      onSignedIn();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError('That is not the admin key of this gateway.');
      else setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form onSubmit={(event) => void submit(event)}>
        <h1>Switchyard</h1>
        <p>Sign in with the gateway's admin key (<code>server.admin_key</code> or <code>SWITCHYARD_ADMIN_KEY</code>).</p>
        <label>
          Admin key
          <input type="password" name="admin-key" autoComplete="current-password" value={key} onChange={(event) => setKey(event.target.value)} autoFocus required />
        </label>
        <button type="submit" disabled={busy || key === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <p className="hint">The key stays in this browser tab only (session storage) and is sent to this gateway alone.</p>
      </form>
    </div>
  );
}
