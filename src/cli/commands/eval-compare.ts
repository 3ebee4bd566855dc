import { defineCommand, UserError } from '../command.ts';
import { compareReports, formatComparison, readReports, ReportError } from '../../eval/report/compare-reports.ts';

export default defineCommand({
  name: 'eval-compare',
  summary: 'Compare two World-bench runs case by case (passes per category, the sign test on the cases only one passed)',
  usage: '<first> <second>: each a report folder, a folder of them, or several joined by commas',
  flags: {},
  async run({ positionals }) {
    if (positionals.length !== 2) {
      throw new UserError('give two sides: tessera eval-compare out/eval/old out/eval/new (a side may be a folder of report folders, or several joined by commas)');
    }
    const sides = positionals.map((side) => side.split(',').filter(Boolean));
    try {
      const [first, second] = sides.map((folders) => folders.flatMap(readReports));
      console.log(formatComparison(compareReports(first, second), { first: positionals[0], second: positionals[1] }));
    } catch (error) {
      if (error instanceof ReportError) throw new UserError(error.message);
      throw error;
    }
  },
});
