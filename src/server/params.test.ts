import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './errors.ts';
import { checkSupported, editParams, generationParams, parseParams } from './params.ts';
import type { ServedModel } from './options.ts';
import { resolveQuality } from './quality.ts';

function rejects(fn: () => unknown, message: RegExp, param: string | null, code = 'invalid_value'): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    assert.match(error.message, message);
    assert.deepEqual([error.param, error.code, error.type], [param, code, 'invalid_request_error']);
    return true;
  });
}

test('generation params: defaults stay unset, nulls are accepted as OpenAI does', () => {
  assert.deepEqual(parseParams(generationParams, { prompt: 'a fox' }), { prompt: 'a fox' });
  const full = { prompt: 'a fox', n: 10, size: 'auto', quality: 'hd', background: 'opaque', output_format: 'webp', output_compression: 0, response_format: 'b64_json', model: 'tessera', stream: true, partial_images: 3, user: 'u1', moderation: 'low' };
  assert.deepEqual(parseParams(generationParams, full), full);
  assert.deepEqual(parseParams(generationParams, { prompt: 'a', n: null, quality: null }), { prompt: 'a', n: null, quality: null });
});

test('generation params: one 400 for the first problem, unknown parameters first', () => {
  rejects(() => parseParams(generationParams, { prompt: 'x', n: 0, styel: 'vivid' }), /^Unknown parameter: 'styel'\.$/, 'styel', 'unknown_parameter');
  rejects(() => parseParams(generationParams, { n: 1 }), /^Missing required parameter: 'prompt'\.$/, 'prompt', 'missing_required_parameter');
  rejects(() => parseParams(generationParams, { prompt: 'x', n: 11 }), /^Invalid value for 'n': expected an integer from 1 to 10, got 11\.$/, 'n');
  rejects(() => parseParams(generationParams, { prompt: 'x', n: 1.5 }), /'n'/, 'n');
  rejects(() => parseParams(generationParams, { prompt: 'x'.repeat(32001) }), /'prompt': expected a string of 1 to 32000 characters, got a string of 32001 characters/, 'prompt');
  rejects(() => parseParams(generationParams, { prompt: 'x', partial_images: 4 }), /from 0 to 3/, 'partial_images');
  rejects(() => parseParams(generationParams, { prompt: 'x', output_compression: 101 }), /from 0 to 100/, 'output_compression');
  rejects(() => parseParams(generationParams, { prompt: 'x', quality: 'ultra' }), /'quality': expected one of/, 'quality');
  rejects(() => parseParams(generationParams, { prompt: 'x', input_fidelity: 'high' }), /Unknown parameter: 'input_fidelity'/, 'input_fidelity', 'unknown_parameter');
  rejects(() => parseParams(generationParams, ['x']), /JSON object/, null, 'invalid_json');
});

test('edit params: form strings become numbers and booleans, with the same rules', () => {
  assert.deepEqual(parseParams(editParams, { prompt: 'x', n: '3', stream: 'true', partial_images: '2', input_fidelity: 'high' }), { prompt: 'x', n: 3, stream: true, partial_images: 2, input_fidelity: 'high' });
  rejects(() => parseParams(editParams, { prompt: 'x', n: 'three' }), /'n': expected an integer from 1 to 10, got "three"/, 'n');
  rejects(() => parseParams(editParams, { prompt: 'x', stream: 'yes' }), /'stream': expected a boolean/, 'stream');
  rejects(() => parseParams(editParams, { prompt: 'x', moderation: 'low' }), /Unknown parameter: 'moderation'/, 'moderation', 'unknown_parameter');
});

test('checkSupported: native size or auto, opaque, b64_json, this model or "tessera"', () => {
  const model = { id: 'tessera-tiny', imageSize: 128 } as ServedModel;
  for (const ok of [{}, { size: '128x128' }, { size: 'auto' }, { background: 'auto' }, { model: 'tessera' }, { model: 'tessera-tiny' }, { response_format: 'b64_json' }]) {
    checkSupported({ prompt: 'x', ...ok } as never, model);
  }
  rejects(() => checkSupported({ prompt: 'x', size: '1024x1024' }, model), /paints 128x128 images only; use '128x128' or 'auto'/, 'size');
  rejects(() => checkSupported({ prompt: 'x', background: 'transparent' }, model), /always opaque/, 'background');
  rejects(() => checkSupported({ prompt: 'x', response_format: 'url' }, model), /stores no images/, 'response_format');
  rejects(() => checkSupported({ prompt: 'x', model: 'gpt-image-1' }, model), /'gpt-image-1' is not served here/, 'model', 'model_not_found');
});

test('quality -> candidates per image', () => {
  assert.deepEqual(resolveQuality(), { quality: 'medium', candidates: 2 });
  assert.deepEqual(resolveQuality('low'), { quality: 'low', candidates: 1 });
  assert.deepEqual(resolveQuality('standard'), { quality: 'medium', candidates: 2 });
  assert.deepEqual(resolveQuality('hd'), { quality: 'high', candidates: 4 });
});
