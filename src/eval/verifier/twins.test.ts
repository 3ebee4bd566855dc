import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vocabulary } from '../../world/catalog/core-vocabulary.ts';
import { findTwins, sameConcept } from './twins.ts';

test('the Fluent styles draw the cat face and the grinning cat as one picture; the others do not', () => {
  const cats = vocabulary('core').filter((c) => c.id === 'cat-face' || c.id === 'grinning-cat' || c.id === 'dog-face');
  const twins = findTwins(cats);
  for (const style of ['fluent-flat', 'fluent-3d']) {
    assert.equal(sameConcept(twins, style, 'grinning-cat', 'cat-face'), true, style);
    assert.equal(sameConcept(twins, style, 'cat-face', 'grinning-cat'), true, style);
    assert.equal(sameConcept(twins, style, 'dog-face', 'cat-face'), false, style);
  }
  for (const style of ['noto', 'twemoji', 'openmoji']) assert.equal(sameConcept(twins, style, 'grinning-cat', 'cat-face'), false, style);
  assert.equal(sameConcept(twins, undefined, 'grinning-cat', 'cat-face'), false, 'no style read, no twin');
  assert.equal(sameConcept(twins, 'noto', 'cat-face', 'cat-face'), true);
});
