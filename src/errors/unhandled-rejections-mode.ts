import type { UnhandledRejectionsMode } from './types';

const MODES: ReadonlySet<string> = new Set(['throw', 'strict', 'warn', 'none', 'warn-with-error-code']);
const FLAG = /--unhandled-rejections[= ](\S+)/;

/**
 * Node's `--unhandled-rejections` mode for this process, from execArgv or NODE_OPTIONS
 * (the last one given wins, as in Node). Node's default since v15 is `throw`.
 */
export function unhandledRejectionsMode(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): UnhandledRejectionsMode {
  let mode: string | undefined;
  const fromOptions = FLAG.exec(nodeOptions);
  if (fromOptions) mode = fromOptions[1];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (a.startsWith('--unhandled-rejections=')) mode = a.slice('--unhandled-rejections='.length);
    else if (a === '--unhandled-rejections' && i + 1 < execArgv.length) mode = execArgv[i + 1];
  }
  return mode !== undefined && MODES.has(mode) ? (mode as UnhandledRejectionsMode) : 'throw';
}
