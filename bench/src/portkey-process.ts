import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Portkey's gateway, when its optional package installed: resolves its start script, or undefined when absent.

/** The path of Portkey's Node entry point, or undefined when @portkey-ai/gateway is not installed. */
export function portkeyEntry(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('@portkey-ai/gateway/package.json');
    return join(dirname(manifest), 'build', 'start-server.js');
  } catch {
    return undefined;
  }
}

/** Starts Portkey's gateway on a port and resolves once it answers, with a stop function. */
export async function startPortkey(entry: string, port: number): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return { pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  child.kill('SIGTERM');
  throw new Error('Portkey gateway did not start within 15 s');
}
