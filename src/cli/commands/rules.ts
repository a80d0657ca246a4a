import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, ruleSettingsFrom } from '../../config/load.js';
import { allRules, findRule } from '../../rules/index.js';
import { neutraliseLine, neutraliseText } from '../../util/neutralise.js';
import { packageRoot } from '../../version.js';
import { type CliIO, UsageError } from '../io.js';

export function registerRuleCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('rules')
    .description('List every rule with its severity and whether it is enabled (after your config).')
    .option('-c, --config <file>', 'config file')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { config?: string; format: string }) => {
      const settings = ruleSettingsFrom((await loadConfig(io.cwd, opts.config)).config);
      const rows = allRules.map((r) => {
        const s = settings.get(r.meta.id);
        return {
          id: r.meta.id,
          name: r.meta.name,
          severity: s?.severity ?? r.meta.severity,
          enabled: s?.enabled ?? r.meta.enabledByDefault,
          title: r.meta.title,
        };
      });
      if (opts.format === 'json') {
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      } else {
        const w = Math.max(4, ...rows.map((r) => r.name.length));
        io.stdout.write(`${'ID'.padEnd(7)}${'NAME'.padEnd(w + 2)}${'SEVERITY'.padEnd(10)}ENABLED\n`);
        for (const r of rows) {
          io.stdout.write(
            `${r.id.padEnd(7)}${r.name.padEnd(w + 2)}${r.severity.padEnd(10)}${r.enabled ? 'yes' : 'no'}\n`,
          );
        }
      }
      setExit(0);
    });

  program
    .command('explain')
    .description('Print the documentation of a rule: what it checks, why it matters, how to fix it.')
    .argument('<rule>', 'rule id (TA001) or name')
    .action((id: string) => {
      const rule = findRule(id);
      if (!rule)
        throw new UsageError(`unknown rule "${neutraliseLine(id)}"; run \`trustaudit rules\` to list them`);
      const doc = new URL(`docs/rules/${rule.meta.id}.md`, packageRoot());
      let text: string;
      try {
        text = readFileSync(doc, 'utf8');
      } catch {
        text = `# ${rule.meta.id} ${rule.meta.title}\n\n${rule.meta.description}\n\n## Risk\n\n${rule.meta.risk}\n\n## Remediation\n\n${rule.meta.remediation}\n`;
      }
      io.stdout.write(neutraliseText(text.endsWith('\n') ? text : `${text}\n`));
      setExit(0);
    });
}
