import { maskSecrets } from '../../core/index.js';

const MAX_SUMMARY_LENGTH = 300;

/** Strips anything that looks like a credential from an upstream message, folds white space and bounds its length. */
export function redactSecrets(text: string): string {
  const out = maskSecrets(text).replace(/\s+/g, ' ').trim();
  return out.length > MAX_SUMMARY_LENGTH ? `${out.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : out;
}
