import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where and with what environment the CLI runs; defaults: the repository root and this process's environment. */
export interface StartCliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Starts the real CLI (`dist/cli.js start`) and resolves with its URL once it listens. Without a config path it
 * runs as `npm start` does: on whatever the working directory and environment provide.
 */
export async function startCli(
  configPath: string | undefined,
  extraArgs: string[] = [],
  options: StartCliOptions = {},
): Promise<{ child: ChildProcess; url: string }> {
  const configArgs = configPath === undefined ? [] : ['--config', configPath];
  const child = spawn(process.execPath, [`${root}dist/cli.js`, 'start', ...configArgs, '--port', '0', ...extraArgs], {
    cwd: options.cwd ?? root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // REDIS_URL would make every CLI test share one Redis state (breakers opened by one seen by all); tests that mean to
    // share state pass their own env and prefix.
    env: options.env ?? { ...process.env, LOG_LEVEL: 'warn', REDIS_URL: undefined },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A gateway that never said it listens would otherwise outlive the test run.
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start:\n${output}`));
    }, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.on('exit', () => reject(new Error(`gateway exited early:\n${output}`)));
  });
  return { child, url };
}

/** What one run of the CLI printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`dist/cli.js`, compiled by the global setup) and collects its output and exit code. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SWITCHYARD_CONFIG: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
