// Runs the Python trainer's unittest suite with the interpreter that has torch.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolvePython, trainerEnv } from '../src/trainer/python.ts';

if (!existsSync('trainer/tests')) {
  console.error('trainer/tests is missing');
  process.exit(1);
}
const python = resolvePython();
const result = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'trainer/tests', '-t', 'trainer', '-v'], {
  stdio: 'inherit',
  env: trainerEnv(),
});
process.exit(result.status ?? 1);
