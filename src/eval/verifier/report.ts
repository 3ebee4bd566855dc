import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rate, type Confusion, type Tally, type ValidationResult } from './validation.ts';

export interface ReportMeta {
  command: string;
  /** The reference banks used and how long they took to load or build. */
  banks: string;
  date: string;
}

const percent = (t: Tally) => (t.total ? `${(rate(t) * 100).toFixed(1)}%` : '–');
const cell = (t: Tally) => (t.total ? `${percent(t)} (${t.correct}/${t.total})` : '–');

/** The most frequent identity confusions over every layout of a run. */
export function topConfusions(result: ValidationResult, count = 10): Confusion[] {
  const merged = new Map<string, Confusion>();
  for (const layout of result.layouts) {
    for (const c of layout.confusions) {
      const key = `${c.expected} → ${c.read}`;
      const m = merged.get(key) ?? { ...c, count: 0 };
      m.count += c.count;
      merged.set(key, m);
    }
  }
  return [...merged.values()].sort((a, b) => b.count - a.count).slice(0, count);
}

/** Markdown: one table per run (layouts × measures), identity by group, then the top confusions. */
export function reportMarkdown(results: ValidationResult[], meta: ReportMeta): string {
  const lines = [
    '# Verifier validation',
    '',
    `\`${meta.command}\` (${meta.date}); ${meta.banks}.`,
    '',
    'Identity: the right kind and concept / shape / text, compared as the expected paint says (checkObject).',
    'Blind: classifyCell told nothing. Correct: identity and every attribute the scene names (style, colors, pattern, accessory).',
  ];
  for (const result of results) {
    lines.push('', `## ${result.name}`, '', '| layout | objects | identity | blind identity | correct | style | color | pattern | accessory | ms/object |', '|---|---|---|---|---|---|---|---|---|---|');
    for (const l of result.layouts) {
      const a = l.attributes;
      lines.push(`| ${l.name} | ${l.identity.total} | ${cell(l.identity)} | ${percent(l.blindIdentity)} | ${percent(l.correct)} | ${percent(a.style)} | ${percent(a.color)} | ${percent(a.pattern)} | ${percent(a.accessory)} | ${l.msPerObject.toFixed(0)} |`);
    }
    const groups = [...new Set(result.layouts.flatMap((l) => Object.keys(l.byGroup)))].sort();
    lines.push('', `| identity by group | ${result.layouts.map((l) => l.name).join(' | ')} |`, `|---|${result.layouts.map(() => '---').join('|')}|`);
    for (const g of groups) lines.push(`| ${g} | ${result.layouts.map((l) => (l.byGroup[g] ? cell(l.byGroup[g]) : '–')).join(' | ')} |`);
    lines.push('', 'Top confusions (expected → read):', '');
    for (const c of topConfusions(result)) lines.push(`- ${c.count}× ${c.expected} → ${c.read}`);
  }
  return lines.join('\n') + '\n';
}

/** A compact console summary. */
export function reportText(results: ValidationResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.name}:`);
    for (const l of result.layouts) {
      const a = l.attributes;
      lines.push(
        `  ${l.name.padEnd(7)} identity ${cell(l.identity).padEnd(22)} blind ${percent(l.blindIdentity).padEnd(7)} correct ${percent(l.correct).padEnd(7)}` +
          ` style ${percent(a.style).padEnd(7)} color ${percent(a.color).padEnd(7)} pattern ${percent(a.pattern).padEnd(7)} accessory ${percent(a.accessory)}`,
      );
    }
    lines.push('  top confusions:');
    for (const c of topConfusions(result)) lines.push(`    ${c.count}× ${c.expected} → ${c.read}`);
  }
  return lines.join('\n');
}

export function writeReport(dir: string, results: ValidationResult[], meta: ReportMeta): void {
  mkdirSync(dir, { recursive: true });
  const json = { meta, runs: results.map((r) => ({ ...r, topConfusions: topConfusions(r) })) };
  writeFileSync(join(dir, 'report.json'), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(dir, 'report.md'), reportMarkdown(results, meta));
}
