// Test helper for fonts.test.ts: counts the font files a worker thread registers after the parent did.
import { parentPort } from 'node:worker_threads';
import { GlobalFonts } from '@napi-rs/canvas';

let registrations = 0;
const register = GlobalFonts.registerFromPath.bind(GlobalFonts);
GlobalFonts.registerFromPath = (path: string, alias?: string) => {
  registrations++;
  return register(path, alias);
};
const { registerFonts } = await import('./fonts.ts');
registerFonts();
parentPort!.postMessage(registrations);
