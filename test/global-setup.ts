import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Compiles `dist/` once before the suite, so tests that run the real CLI in a child process use the current code. */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
