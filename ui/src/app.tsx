import { useEffect, useState, type ReactNode } from 'react';
import { adminKey, whenUnauthorized } from './api';
import { SignIn } from './pages/sign-in';
import { OverviewPage } from './pages/overview-page';
import { RequestsPage } from './pages/requests-page';
import { RoutingPage } from './pages/routing-page';
import { ComparePage } from './pages/compare-page';
import { KeysPage } from './pages/keys-page';
import { BatchesPage } from './pages/batches-page';

const PAGES: Array<{ path: string; title: string; render: (route: string[]) => ReactNode }> = [
  { path: 'overview', title: 'Overview', render: () => <OverviewPage /> },
  { path: 'requests', title: 'Requests', render: (route) => <RequestsPage selected={route[1]} /> },
  { path: 'routing', title: 'Routing', render: () => <RoutingPage /> },
  { path: 'compare', title: 'Compare', render: () => <ComparePage /> },
  { path: 'keys', title: 'Keys & budgets', render: () => <KeysPage /> },
  { path: 'batches', title: 'Batches', render: () => <BatchesPage /> },
];

/** The page path from the location hash: `#/requests/<id>` → ['requests', '<id>']. */
function readRoute(): string[] {
  const parts = window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length > 0 ? parts : ['overview'];
}

/** The dashboard shell: sign-in with the admin key, then one page per hash route. */
export function App() {
  const [signedIn, setSignedIn] = useState(() => adminKey.get() !== null);
  const [route, setRoute] = useState(readRoute);

  useEffect(() => {
    const onHash = (): void => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    whenUnauthorized(() => {
      adminKey.clear();
      setSignedIn(false);
    });
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const page = PAGES.find((candidate) => candidate.path === route[0]) ?? PAGES[0];
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Switchyard</span>
        <nav>
          {PAGES.map((candidate) => (
            <a key={candidate.path} href={`#/${candidate.path}`} className={candidate === page ? 'active' : undefined}>
              {candidate.title}
            </a>
          ))}
        </nav>
        <button
          type="button"
          className="link"
          onClick={() => {
            adminKey.clear();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main>{page?.render(route)}</main>
    </div>
  );
}
