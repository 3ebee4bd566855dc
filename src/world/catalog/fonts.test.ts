import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { GlobalFonts } from '@napi-rs/canvas';
import { startTsWorker } from '../../util/ts-worker.ts';
import { fontLicenses, registerFonts } from './fonts.ts';

test('fonts register once per process: worker threads reuse the shared collection instead of racing on it', async () => {
  registerFonts();
  for (const { family } of fontLicenses()) assert.ok(GlobalFonts.has(family), `${family} not registered`);
  const worker = startTsWorker(new URL('./fonts-count-worker.ts', import.meta.url));
  const [registrations] = (await once(worker, 'message')) as [number];
  await worker.terminate();
  assert.equal(registrations, 0);
});
