/** Whether the node command line already set a V8 flag, on or off or to a value (V8 reads `_` as `-` in its names). */
export function commandLineSets(flag: string, execArgv: readonly string[]): boolean {
  return execArgv.some((argument) => {
    const named = argument.replace(/_/g, '-');
    return named === `--${flag}` || named === `--no-${flag}` || named.startsWith(`--${flag}=`);
  });
}
