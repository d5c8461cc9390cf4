import { ConfigLoadError } from '../../config/config-load-error';
import { describeConfigSource, loadConfigInput, validateLoadedConfig, type LoadedConfigInput } from '../../config/load-config';
import { ConfigError } from '../../config/validate';
import type { PulseguardConfig } from '../../config/types';
import { buildDefaultRules } from '../../rules/default-rules';
import { compileRules } from '../../evaluator/rule-compiler';
import { summarizeConfig } from '../config-summary';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand } from '../types';

/**
 * Compiles the effective rules as start() does, so a misspelled metric or attribute, or levels
 * in the wrong order, fail here rather than at start.
 */
function checkRules(config: PulseguardConfig): void {
  if (!config.rules.enabled) return;
  const { problems } = compileRules(buildDefaultRules(config));
  if (problems.length > 0) throw new ConfigError(problems);
}

/** `pulseguard check [file]`: validates the configuration and prints what will run. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'validate the configuration and print what it resolves to',
  usage: 'pulseguard check [file]',
  help: [
    'Loads <file>, or the configuration pulseguard/register would use: the file named by',
    'PULSEGUARD_CONFIG, else pulseguard.config.{ts,mjs,js,json} in the current directory,',
    'else environment variables (see docs/configuration.md).',
    '',
    'Exit codes: 0 valid (prints the resolved summary), 1 invalid or unreadable (prints every',
    'problem by path to stderr), 2 usage error.',
  ].join('\n'),
  async run(args, io) {
    const flags = args.filter((a) => a.startsWith('-'));
    const files = args.filter((a) => !a.startsWith('-'));
    if (flags.length > 0 || files.length > 1) {
      io.stderr(`pulseguard check: unexpected argument ${flags[0] ?? files[1]}\nusage: ${checkCommand.usage}\n`);
      return EXIT_USAGE;
    }
    let loaded: LoadedConfigInput | undefined;
    try {
      loaded = await loadConfigInput({ cwd: io.cwd, env: io.env, file: files[0] });
      const { config, source } = validateLoadedConfig(loaded);
      checkRules(config);
      io.stdout(`configuration is valid: ${describeConfigSource(source)}\n\n${summarizeConfig(config, loaded.input).join('\n')}\n`);
      return EXIT_OK;
    } catch (err) {
      if (err instanceof ConfigError && loaded) {
        io.stderr(`${describeConfigSource(loaded.source)}: ${err.message}\n`);
        return EXIT_FAILURE;
      }
      if (err instanceof ConfigLoadError) {
        io.stderr(`pulseguard check: ${err.message}\n`);
        return EXIT_FAILURE;
      }
      throw err;
    }
  },
};
