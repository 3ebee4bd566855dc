/** summary.md: per suite, a table of its categories; speed in its own table. */
import type { BenchReport } from '../run/run-suite.ts';
import { groupByObjectKind } from './object-kind.ts';
import { WORLD_PRESETS } from '../../world/scene/world-config.ts';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** A metric as a cell: dB and ms as they are, shares as percentages. */
function metricCell(name: string, v: number | null): string {
  if (v === null) return '—';
  if (name === 'psnr') return `${v.toFixed(1)} dB`;
  if (name === 'msPerImage') return `${v.toFixed(0)} ms`;
  if (name === 'tokensPerSecond') return `${v.toFixed(0)}`;
  return pct(v);
}

export function summaryMarkdown(report: BenchReport, command?: string): string {
  const lines = [`# World-bench: ${report.subject}`, ''];
  if (command) lines.push(`\`${command}\``, '');
  lines.push(`${report.date.slice(0, 10)}, seed ${report.seed}, ${report.limit === null ? 'all cases' : `at most ${report.limit} cases per suite`}, ${report.images} images, ${report.seconds.toFixed(0)} s.`, '');
  if (report.world !== 'full') {
    const { vocabulary, styles } = WORLD_PRESETS[report.world];
    lines.push(`Cases drawn within the \`${report.world}\` world: the ${vocabulary} vocabulary in ${styles.length} style${styles.length > 1 ? 's' : ''} (${styles.join(', ')}); the verifier still tells each object from the whole core vocabulary.`, '');
  }
  if (report.placement === 'grid') lines.push("Objects placed on the VQ's 16×16 code grid, as the curriculum's worlds place them for training (`--placement grid`).", '');
  if (report.bestOf > 1) lines.push(`Text→image cases: best of ${report.bestOf} candidates, ranked by the model's own likelihood of the prompt (edits and chat: one sample).`, '');
  lines.push('| suite | score | standard error |', '|---|---|---|');
  for (const s of report.suites) lines.push(`| ${s.name} | ${pct(s.score)} | ${s.scoreStdError === null || s.scoreStdError === undefined ? '—' : `± ${(s.scoreStdError * 100).toFixed(1)} points`} |`);
  for (const s of report.suites) {
    lines.push('', `## ${s.name}`, '', s.summary, '');
    const metricNames = [...new Set(s.categories.flatMap((c) => Object.keys(c.metrics)))];
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    lines.push(row(['category', 'cases', 'score', 'all right', ...metricNames]), row(['---', '---', '---', '---', ...metricNames.map(() => '---')]));
    for (const c of s.categories) lines.push(row([c.category, String(c.cases), pct(c.score), c.score === null ? '—' : pct(c.passRate), ...metricNames.map((m) => metricCell(m, c.metrics[m] ?? null))]));
    const kinds = groupByObjectKind(s.categories.map((c) => c.category), s.cases, (r) => r.category, (r) => r.objectKind);
    if (kinds.length) {
      lines.push('', 'One-object cases by what they ask for:', '', row(['category', 'object', 'cases', 'all right']), row(['---', '---', '---', '---']));
      for (const { category, kind, items } of kinds) {
        const passed = items.filter((r) => r.pass).length;
        lines.push(row([category, kind, String(items.length), `${passed} (${pct(passed / items.length)})`]));
      }
    }
    const errors = s.cases.filter((c) => c.error);
    if (errors.length) lines.push('', `${errors.length} case(s) failed to run, scored 0: ${[...new Set(errors.map((e) => e.error))].slice(0, 3).join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
