import { readFileSync, writeFileSync } from 'node:fs';
import { defineCommand, UserError } from '../command.ts';
import { renderPng } from '../../world/render/renderer.ts';
import type { Scene } from '../../world/scene/scene.ts';
import { WorldError } from '../../world/world-error.ts';

export const worldRender = defineCommand({
  name: 'world render',
  summary: 'Render one scene JSON (see examples/) to a PNG',
  flags: {
    scene: { type: 'string', description: 'scene JSON file' },
    out: { type: 'string', short: 'o', description: 'output PNG', default: 'scene.png' },
  },
  async run({ flags }) {
    if (!flags.scene) throw new UserError('--scene is required, e.g. --scene examples/sixteen-objects.json');
    let scene: Scene;
    try {
      scene = JSON.parse(readFileSync(flags.scene, 'utf8')) as Scene;
    } catch (error) {
      throw new UserError(`cannot read scene ${flags.scene}: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      writeFileSync(flags.out, await renderPng(scene));
    } catch (error) {
      if (error instanceof WorldError) throw new UserError(`${flags.scene}: ${error.message}`);
      throw error;
    }
    console.log(`wrote ${flags.out}`);
  },
});
