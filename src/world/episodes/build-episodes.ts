import { LOCALES, type Locale } from '../catalog/concepts.ts';
import { describeScene } from '../caption/describe-scene.ts';
import { ConceptNames } from '../caption/object-names.ts';
import { vocabulary } from '../catalog/core-vocabulary.ts';
import type { Random } from '../random.ts';
import type { Caption, EncodedPiece, Episode, EpisodeTask } from '../sample.ts';
import type { Scene } from '../scene/scene.ts';
import type { SceneSampler } from '../scene/sampler.ts';
import type { WorldConfig } from '../scene/world-config.ts';
import { sampleEdit, sampleRestyle } from './edits.ts';
import { sampleQuestion } from './questions.ts';
import { sampleCharacterTurns } from './character.ts';

/** Turns an episode into token pieces (src/model/episode-encoding.ts provides one). */
export type EpisodeEncoder = (episode: Episode) => EncodedPiece[];

/** Locale weights of captions: English most, every other locale regularly. */
const LOCALE_WEIGHTS: [Locale, number][] = LOCALES.map((l) => [l, l === 'en' ? 6 : 1]);

const namesByVocabulary = new Map<string, ConceptNames>();
function conceptNames(config: WorldConfig): ConceptNames {
  let names = namesByVocabulary.get(config.vocabulary);
  if (!names) namesByVocabulary.set(config.vocabulary, (names = new ConceptNames(vocabulary(config.vocabulary))));
  return names;
}

const user = (text: string) => ({ type: 'text', role: 'user', text }) as const;
const assistant = (text: string) => ({ type: 'text', role: 'assistant', text }) as const;
const image = (role: 'user' | 'assistant', field: string) => ({ type: 'image', role, image: field }) as const;

/**
 * Captions and episodes of one sample. Extra images (edit targets, restyles, later turns) are
 * returned as scenes named img1, img2, ...; img0 is the sample's scene.
 */
export function buildEpisodes(
  rng: Random,
  sampler: SceneSampler,
  config: WorldConfig,
  scene: Scene,
  encoder?: EpisodeEncoder,
): { captions: Caption[]; episodes: Episode[]; scenes: Record<string, Scene> } {
  const names = conceptNames(config);
  const captions: Caption[] = [];
  for (let k = 0; k < 3; k++) {
    const locale = k === 0 ? 'en' : rng.weighted(LOCALE_WEIGHTS);
    const long = k === 2 && scene.layout.kind === 'grid';
    captions.push({ text: describeScene(scene, locale, names, rng, long), locale, length: long ? 'long' : 'short' });
  }
  const scenes: Record<string, Scene> = {};
  let next = 1;
  const addScene = (s: Scene) => {
    const field = `img${next++}`;
    scenes[field] = s;
    return field;
  };
  const hasEmoji = scene.objects.some((o) => o.kind === 'emoji');
  const weights = (Object.entries(config.tasks) as [EpisodeTask, number][]).filter(([t]) => t !== 'restyle' || hasEmoji);
  const tasks = new Set<EpisodeTask>();
  while (tasks.size < Math.min(config.episodesPerSample, weights.length)) tasks.add(rng.weighted(weights));

  const episodes: Episode[] = [];
  for (const task of tasks) {
    let episode: Episode;
    switch (task) {
      case 't2i':
        episode = { task, segments: [user(rng.pick(captions).text), image('assistant', 'img0')] };
        break;
      case 'i2t': {
        const qa = sampleQuestion(rng, scene, names);
        const answer = qa.answer || captions[0].text;
        episode = { task, segments: [image('user', 'img0'), user(qa.question), assistant(answer)] };
        break;
      }
      case 'edit': {
        const edit = sampleEdit(rng, scene, sampler, names);
        const source = edit.source === scene ? 'img0' : addScene(edit.source);
        const target = edit.target === scene ? 'img0' : addScene(edit.target);
        episode = { task, segments: [image('user', source), user(edit.instruction), image('assistant', target)] };
        break;
      }
      case 'restyle': {
        const restyle = sampleRestyle(rng, scene, sampler.stylesDrawing(scene));
        episode = { task, segments: [image('user', 'img0'), user(restyle.instruction), image('assistant', addScene(restyle.target))] };
        break;
      }
      case 'multiturn': {
        const turns = sampleCharacterTurns(rng, sampler, names, scene);
        episode = { task, segments: turns.flatMap((t) => [user(t.prompt), image('assistant', addScene(t.scene))]) };
        break;
      }
    }
    if (encoder) episode.encoded = encoder(episode);
    episodes.push(episode);
  }
  return { captions, episodes, scenes };
}
