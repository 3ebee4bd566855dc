import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.ts';
import { MissingAssetError, normalizeCodepoints, STYLE_IDS, styleAssets, type StyleId } from './emoji-styles.ts';

/** Locales whose emoji names and caption words the world uses. `zh` and `ja` are the CJK ones. */
export const LOCALES = ['en', 'es', 'fr', 'de', 'ru', 'ja', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** An emoji concept: one base codepoint sequence, with names in every locale. */
export interface Concept {
  /** Slug of the English name, e.g. "cat-face". */
  id: string;
  codepoints: string;
  group: string;
  subgroup: string;
  names: Record<Locale, string>;
  /** Extra words per locale (emojibase tags) that captions may use as alternate names. */
  keywords: Record<Locale, string[]>;
  /** Styles that have an asset for this concept. */
  styles: StyleId[];
}

interface EmojibaseEntry {
  label: string;
  hexcode: string;
  tags?: string[];
  group?: number;
  subgroup?: number;
}

export function slug(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

let cached: Concept[] | undefined;

/** Every base emoji (no skin tones, components or flags) with names in all locales. */
export function allConcepts(): Concept[] {
  if (cached) return cached;
  const root = packageRoot('emojibase-data');
  if (!root) throw new MissingAssetError('the npm package "emojibase-data" is not installed (run npm ci)');
  const read = (locale: string) => JSON.parse(readFileSync(join(root, locale, 'data.json'), 'utf8')) as EmojibaseEntry[];
  const meta = JSON.parse(readFileSync(join(root, 'meta', 'groups.json'), 'utf8')) as {
    groups: Record<string, string>;
    subgroups: Record<string, string>;
  };
  const byLocale = new Map<Locale, Map<string, EmojibaseEntry>>();
  for (const locale of LOCALES) byLocale.set(locale, new Map(read(locale).map((e) => [e.hexcode, e])));
  const assets = STYLE_IDS.map((s) => styleAssets(s));
  const seen = new Set<string>();
  cached = [];
  for (const entry of byLocale.get('en')!.values()) {
    const group = meta.groups[String(entry.group)];
    if (entry.group === undefined || group === 'component' || group === 'flags') continue;
    const id = slug(entry.label);
    if (seen.has(id)) continue;
    seen.add(id);
    const codepoints = normalizeCodepoints(entry.hexcode);
    const names = {} as Record<Locale, string>;
    const keywords = {} as Record<Locale, string[]>;
    for (const locale of LOCALES) {
      const local = byLocale.get(locale)!.get(entry.hexcode);
      names[locale] = (local?.label ?? entry.label).replace(/^⊛\s*/, '');
      keywords[locale] = (local?.tags ?? []).filter((t) => t !== names[locale]);
    }
    const styles = STYLE_IDS.filter((_, i) => assets[i].codepoints.has(codepoints));
    cached.push({ id, codepoints, group, subgroup: meta.subgroups[String(entry.subgroup)], names, keywords, styles });
  }
  return cached;
}

let byId: Map<string, Concept> | undefined;

/** Concepts by id, built once: the renderer looks one up per object drawn. */
export function conceptById(): Map<string, Concept> {
  byId ??= new Map(allConcepts().map((c) => [c.id, c]));
  return byId;
}
