/** Restyle scoring: each emoji in the new style (style) and still the same thing (content). */
import type { RestyleCase } from '../suites/eval-case.ts';
import type { Rgba } from '../verifier/image.ts';
import type { Verifier } from '../verifier/verifier.ts';
import { mean, type Scored } from './scored.ts';

export function scoreRestyle(verifier: Verifier, output: Rgba, c: RestyleCase): Scored {
  const emoji = c.target.objects.filter((o) => o.kind === 'emoji');
  const verdicts = emoji.map((o) => verifier.checkObject(output, o.box, o, c.target.style));
  const style = verdicts.map((v) => Number(!!v.style?.ok));
  const content = verdicts.map((v) => Number(v.concept));
  const both = verdicts.map((_, i) => style[i] * content[i]);
  const styles = verdicts.map((v) => v.read.style ?? '?').join(',');
  return {
    score: mean(both),
    pass: both.every(Boolean),
    metrics: { style: mean(style), content: mean(content) },
    marks: emoji.map((o, i) => ({ box: o.box, ok: !!both[i] })),
    note: `want ${c.target.style}, read ${styles}; content ${content.filter(Boolean).length}/${content.length}`,
  };
}
