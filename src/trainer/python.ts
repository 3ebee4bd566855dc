import { spawnSync } from 'node:child_process';

/**
 * Finds a Python interpreter that can import torch. The `python3` first on PATH is often a
 * different interpreter (pyenv) than the one Debian's python3-torch installs into, so the order is:
 * $TESSERA_PYTHON, then /usr/bin/python3, then python3 on PATH.
 */
export function resolvePython(): string {
  const candidates = [process.env.TESSERA_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import torch, numpy, PIL'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    `no Python with torch, numpy and pillow found (tried ${candidates.join(', ')}). ` +
      'Install them with: apt-get install -y python3-torch python3-numpy python3-pil libopenblas-dev, ' +
      'or point TESSERA_PYTHON at an interpreter that has them.',
  );
}

/** Environment for trainer subprocesses: the trainer package on PYTHONPATH. */
export function trainerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const trainerDir = new URL('../../trainer', import.meta.url).pathname;
  const pythonPath = [trainerDir, process.env.PYTHONPATH].filter(Boolean).join(':');
  return { ...process.env, PYTHONPATH: pythonPath, ...extra };
}
