import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderRuleFile } from '../../../exporters/prometheus-rules/rule-file';
import { buildDefaultRules } from '../../rules/default-rules';
import { ConfigLoadError } from '../../config/config-load-error';
import { describeConfigSource, loadConfigInput, validateLoadedConfig, type LoadedConfigInput } from '../../config/load-config';
import type { PulseguardConfig } from '../../config/types';
import { ConfigError } from '../../config/validate';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../types';

/** `--config file` / `--out file` (also `--name=value`), the only options the generators take. */
export function parseGeneratorArgs(args: readonly string[], allowed: readonly string[]): { options: Record<string, string> } | { error: string } {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!name.startsWith('--') || !allowed.includes(name.slice(2))) return { error: `unexpected argument ${a}` };
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return { error: `${name} needs a value` };
    options[name.slice(2)] = value;
  }
  return { options };
}

/**
 * Loads the active configuration (as `pulseguard check` does), runs `produce` on it and writes
 * the result to `--out` or stdout. Shared by `pulseguard rules` and `pulseguard dashboard`.
 */
export async function runGenerator(command: CliCommand, args: readonly string[], io: CliIo, allowed: readonly string[], produce: (config: PulseguardConfig, options: Readonly<Record<string, string>>) => string): Promise<number> {
  const parsed = parseGeneratorArgs(args, allowed);
  if ('error' in parsed) {
    io.stderr(`pulseguard ${command.name}: ${parsed.error}\nusage: ${command.usage}\n`);
    return EXIT_USAGE;
  }
  let loaded: LoadedConfigInput | undefined;
  try {
    loaded = await loadConfigInput({ cwd: io.cwd, env: io.env, file: parsed.options.config });
    const { config } = validateLoadedConfig(loaded);
    const text = produce(config, parsed.options);
    if (parsed.options.out !== undefined) {
      const out = resolve(io.cwd, parsed.options.out);
      await writeFile(out, text);
      io.stderr(`pulseguard ${command.name}: wrote ${out}\n`);
    } else {
      io.stdout(text);
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${loaded ? describeConfigSource(loaded.source) : 'configuration'}: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    if (err instanceof ConfigLoadError) {
      io.stderr(`pulseguard ${command.name}: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}

/** `pulseguard rules [--config file] [--out file]`: the active rules as a Prometheus rule file. */
export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'write the active alert rules as a Prometheus alerting rule file',
  usage: 'pulseguard rules [--config file] [--out file]',
  help: [
    'Every rule of the active configuration (the built-in pack plus rules.custom, minus',
    'rules.disable) as Prometheus alerting rules: one group per area label, one rule per',
    'severity, aggregated per job and instance like the in-process evaluator. Written to',
    '--out, else stdout. Check it with `promtool check rules FILE` (see docs/fleet.md).',
    'The configuration is found as `pulseguard check` finds it, or read from --config.',
    '',
    'Exit codes: 0 written, 1 invalid or unreadable configuration, 2 usage error.',
  ].join('\n'),
  run(args, io) {
    return runGenerator(rulesCommand, args, io, ['config', 'out'], (config) => renderRuleFile(buildDefaultRules(config), {
      evaluationIntervalMs: config.rules.evaluationIntervalMs,
    }));
  },
};
