import type { Script } from './fonts.ts';

/**
 * Short words the world writes, per script. Kept short (≤ 8 characters) so that they stay legible
 * in a 32 px grid cell. Numbers are written in every script's font too.
 */
export const WORDS: Record<Script, readonly string[]> = {
  latin: ['OpenAI', 'hello', 'cat', 'Tessera', 'sun', 'moon', 'love', 'STOP', 'open', 'pixel', 'emoji', 'happy', 'river', 'music', 'ZEBRA', 'apple', 'code', 'star', 'blue', 'yes', 'no', 'OK', 'cafe', 'hi'],
  cyrillic: ['привет', 'кот', 'мир', 'луна', 'солнце', 'дом', 'море', 'да', 'нет', 'СТОП', 'книга', 'лес'],
  greek: ['γεια', 'ήλιος', 'θάλασσα', 'γάτα', 'φως', 'ναι', 'όχι', 'ΑΛΦΑ', 'ΩΜΕΓΑ', 'λόγος', 'νερό', 'σπίτι'],
  cjk: ['你好', '猫', '太阳', '月亮', '世界', '山', '水', '花', '爱', '中文', '东京', '画'],
  arabic: ['مرحبا', 'قطة', 'شمس', 'قمر', 'بيت', 'سلام', 'كتاب', 'بحر', 'نعم', 'لا', 'حب', 'نور'],
  devanagari: ['नमस्ते', 'बिल्ली', 'सूरज', 'चाँद', 'घर', 'पानी', 'फूल', 'हाँ', 'नहीं', 'प्यार', 'किताब', 'भारत'],
};

export const NUMBERS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '42', '7', '13', '100', '2025', '99', '3.14', '404'];

/** The script a piece of text is written in, by its first letter. */
export function detectScript(text: string): Script {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x0400 && cp <= 0x04ff) return 'cyrillic';
    if (cp >= 0x0370 && cp <= 0x03ff) return 'greek';
    if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3040 && cp <= 0x30ff)) return 'cjk';
    if (cp >= 0x0600 && cp <= 0x06ff) return 'arabic';
    if (cp >= 0x0900 && cp <= 0x097f) return 'devanagari';
  }
  return 'latin';
}
