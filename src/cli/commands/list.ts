/** `iqa list`: every metric with its mode, direction, range and whether it needs weight files. */
import type { Command } from 'commander';
import { table } from '../output.js';

export function register(program: Command): void {
  program
    .command('list')
    .description('list every metric with its mode, direction, range and whether it needs weight files')
    .option('--mode <mode>', 'only FR, NR or NAR metrics')
    .option('--json', 'print JSON')
    .action(async (o: { mode?: string; json?: boolean }) => {
      const { listMetrics } = await import('../../registry.js');
      const mode = o.mode?.toUpperCase() as 'FR' | 'NR' | 'NAR' | undefined;
      const ms = listMetrics(mode ? { mode } : {});
      if (o.json) {
        console.log(JSON.stringify(ms, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v), 2));
        return;
      }
      const fmt = (v: number) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v));
      console.log(
        table(
          ['name', 'mode', 'better', 'range', 'weights', 'description'],
          ms.map((m) => [m.name, m.mode, m.lowerBetter ? 'lower' : 'higher', `[${fmt(m.range[0])}, ${fmt(m.range[1])}]`, m.needsWeights ? 'needed' : '-', m.description]),
        ),
      );
    });
}
