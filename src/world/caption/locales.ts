import type { Locale } from '../catalog/concepts.ts';
import type { Lexicon } from './lexicon.ts';
import { ja, zh } from './lexicons/cjk.ts';
import { de } from './lexicons/de.ts';
import { en } from './lexicons/en.ts';
import { es, fr } from './lexicons/romance.ts';
import { ru } from './lexicons/ru.ts';


export const LEXICONS: Record<Locale, Lexicon> = { en, es, fr, de, ru, ja, zh };
