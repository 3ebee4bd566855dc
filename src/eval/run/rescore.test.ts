import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { RgbaImage } from '../../engine/events.ts';
import type { ImageCodec } from '../../engine/image-codec.ts';
import { suitesNamed } from '../suites/registry.ts';
import { TEST_BANK } from '../verifier/test-bank.ts';
import { Verifier } from '../verifier/verifier.ts';
import { referenceSubject } from './reference-subject.ts';
import { rescoreReport, RescoreError } from './rescore.ts';
import { runBench, type BenchReport } from './run-suite.ts';

/** A lossless stand-in for the VQ: an image's codes are its index in a store. */
class StoreCodec implements ImageCodec {
  readonly images: RgbaImage[] = [];
  async encode(image: RgbaImage | Uint8Array): Promise<Uint16Array> {
    if (image instanceof Uint8Array) throw new Error('pixels only');
    this.images.push(image);
    return Uint16Array.from({ length: 256 }, (_, i) => (i === 0 ? this.images.length - 1 : 0));
  }
  async decode(codes: ArrayLike<number>): Promise<RgbaImage> {
    return this.images[codes[0]];
  }
}

let verifier: Verifier;
let codec: StoreCodec;
let report: BenchReport;
before(async () => {
  verifier = await Verifier.create({ bank: TEST_BANK, images: 'auto' });
  codec = new StoreCodec();
  ({ report } = await runBench({ suites: suitesNamed('smoke')!, subject: referenceSubject('vq', codec), verifier }));
});

const imageCases = () => report.suites[0].cases.filter((c) => c.task === 't2i');
const copy = (r: BenchReport): BenchReport => structuredClone(r);

test('re-scored with the same verifier, a report is itself; only text→image cases are read again', async () => {
  assert.ok(imageCases().length >= 2 && imageCases().every((c) => c.codes));
  assert.ok(report.suites[0].cases.some((c) => c.task !== 't2i' && !c.codes));
  const again = await rescoreReport(copy(report), verifier, codec);
  assert.equal(again.rescored, imageCases().length);
  assert.equal(again.kept, report.suites[0].cases.length - imageCases().length);
  const fields = ({ id, score, pass, note, metrics }: BenchReport['suites'][0]['cases'][0]) => ({ id, score, pass, note, metrics });
  assert.deepEqual(again.report.suites[0].cases.map(fields), report.suites[0].cases.map(fields));
  assert.deepEqual(again.report.suites[0].categories, report.suites[0].categories);
  assert.ok(again.runs.get('smoke')!.filter((r) => r.image).length === again.rescored);
});

test('a report drawn on the code grid is read again on it: the boxes checked are the grid scenes\' boxes', async () => {
  const gridCodec = new StoreCodec();
  const { report: grid, runs } = await runBench({ suites: suitesNamed('smoke')!, subject: referenceSubject('vq', gridCodec), verifier, placement: 'grid' });
  assert.equal(grid.placement, 'grid');
  type Runs = typeof runs;
  const boxes = (r: Runs) => r.get('smoke')!.filter((run) => run.result.task === 't2i').map((run) => run.marks.map((m) => m.box));
  assert.deepEqual(boxes((await rescoreReport(copy(grid), verifier, gridCodec)).runs), boxes(runs));
  // The same report read as if drawn freely checks other boxes.
  const { placement: _, ...free } = copy(grid);
  assert.notDeepEqual(boxes((await rescoreReport(free, verifier, gridCodec)).runs), boxes(runs));
  await assert.rejects(rescoreReport({ ...copy(grid), placement: 'diagonal' as never }, verifier, gridCodec), /placement "diagonal" is not one this version knows/);
});

test('the scores come from the kept codes: two cases that swap codes read each other’s images', async () => {
  const swapped = copy(report);
  const [a, b] = swapped.suites[0].cases.filter((c) => c.task === 't2i' && c.pass);
  assert.ok(a && b, 'two passing text→image cases');
  [a.codes, b.codes] = [b.codes, a.codes];
  const again = await rescoreReport(swapped, verifier, codec);
  const read = (id: string) => again.report.suites[0].cases.find((c) => c.id === id)!;
  assert.ok(!read(a.id).pass || !read(b.id).pass, `${read(a.id).note} / ${read(b.id).note}`);
});

test('a case drawn differently now, or unknown, is refused; a case without codes keeps its score', async () => {
  const changed = copy(report);
  changed.suites[0].cases.find((c) => c.codes)!.prompt = 'a prompt from another version';
  await assert.rejects(rescoreReport(changed, verifier, codec), RescoreError);
  const unknown = copy(report);
  unknown.suites[0].cases.find((c) => c.codes)!.id = 'smoke/nothing/9';
  await assert.rejects(rescoreReport(unknown, verifier, codec), /not among the cases/);
  const garbled = copy(report);
  garbled.suites[0].cases.find((c) => c.codes)!.codes = 'not codes';
  await assert.rejects(rescoreReport(garbled, verifier, codec), RescoreError);
  const bare = copy(report);
  const [first] = bare.suites[0].cases.filter((c) => c.codes);
  delete first.codes;
  first.score = 0.123;
  const again = await rescoreReport(bare, verifier, codec);
  assert.equal(again.report.suites[0].cases.find((c) => c.id === first.id)!.score, 0.123);
  assert.equal(again.rescored, imageCases().length - 1);
});
