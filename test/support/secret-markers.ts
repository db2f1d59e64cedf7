import { UPSTREAM_KEYS } from '../conformance/upstream-keys.js';

/** Upstream keys the secret-reference suite serves from its fake Vault, Secrets Manager and files, before and after rotation. */
export const SECRET_STORE_KEYS = {
  vaultFirst: 'sk-vault-upstream-first-7d31',
  vaultRotated: 'sk-vault-upstream-rotated-7d31',
  awsFirst: 'sk-aws-upstream-first-7d31',
  awsRotated: 'sk-aws-upstream-rotated-7d31',
  fileFirst: 'sk-file-upstream-first-7d31',
  fileRotated: 'sk-file-upstream-rotated-7d31',
} as const;

/** Upstream keys the new end-to-end suites configure for their fakes; those suites import them from here. */
export const E2E_UPSTREAM_KEYS = {
  openai: 'sk-e2e-openai-upstream-5b7c19d2',
  gemini: 'AIzaE2eGeminiUpstream5b7c19d2',
  anthropic: 'sk-ant-e2e-upstream-5b7c19d2',
} as const;

/** Secrets of no known vendor shape (test/security/echoed-secrets.test.ts): only literal scrubbing catches them. */
export const ODD_SHAPED_SECRETS = {
  apiKey: 'Zq7.odd~KEY_0451-tail',
  header: 'tenant.tok.98765432',
} as const;

/**
 * Keys configured by suites this module does not own, copied so the global teardown does not load their rigs:
 * test/chaos/chaos-rig.ts (`CHAOS_KEYS`), test/e2e/openai-sdk-upstream.test.ts (`UPSTREAM_KEY`), the batch-delegation and
 * dashboard suites' provider keys, and the unknown virtual keys of the library-governance and key-store-outage suites.
 * secret-markers.test.ts fails when a suite configures a key missing here.
 */
const OTHER_SUITE_KEYS = [
  'sk-chaos-openai-0001',
  'sk-ant-chaos-0001',
  'AIzaChaosGemini0001',
  'sk-upstream-secret-e2e-0001',
  'sk-delegation-fake-key-0123456789',
  'sk-provider-dashboard-never-shown-4242',
  'sk-sy-not-a-key',
  'sk-sy-unknown-during-outage',
] as const;

/** Every upstream API key any test gateway holds: none may ever appear in a gateway log line. */
export const UPSTREAM_SECRET_MARKERS: readonly string[] = [
  ...Object.values(UPSTREAM_KEYS),
  ...Object.values(E2E_UPSTREAM_KEYS),
  ...Object.values(SECRET_STORE_KEYS),
  ...OTHER_SUITE_KEYS,
  ...Object.values(ODD_SHAPED_SECRETS),
];
