/**
 * Look-alike letters that Unicode compatibility normalization (NFKC/NFKD) leaves alone, mapped to the ASCII
 * letter they imitate. NFKD already folds fullwidth forms, mathematical alphanumerics, circled and
 * squared letters, superscripts and ligatures; this table covers the rest of what attackers use in
 * practice: Cyrillic, Greek, Armenian and Cherokee homoglyphs, Latin small capitals and IPA letters,
 * negative circled/squared letters and regional indicators. It is a compact subset of Unicode's
 * confusables.txt (UTS #39) restricted to targets a–z, chosen for letters that render like the ASCII one
 * in common fonts. Digits and punctuation look-alikes are left to NFKC.
 */

/** [look-alike characters, the ASCII letter]. Upper- and lower-case forms are listed separately. */
const GROUPS: readonly (readonly [string, string])[] = [
  // Cyrillic
  ['аАӐӑӒӓ', 'a'],
  ['ВвЬьЪъ', 'b'],
  ['сСϲϹ', 'c'],
  ['ԁԀ', 'd'],
  ['еЕёЁэЄєӘә', 'e'],
  ['һҺнНђЂћЋ', 'h'],
  ['іІїЇӀӏɩɪıǀ', 'i'],
  ['јЈϳ', 'j'],
  ['кКҡҠ', 'k'],
  ['мМ', 'm'],
  ['пП', 'n'],
  ['оОӧӦ', 'o'],
  ['рРҏ', 'p'],
  ['г', 'r'],
  ['ԍ', 'g'],
  ['ԛԚ', 'q'],
  ['ѕЅ', 's'],
  ['тТ', 't'],
  ['џЏ', 'u'],
  ['ѵѴ', 'v'],
  ['ԝԜѡ', 'w'],
  ['хХҳҲ', 'x'],
  ['уУүҮ', 'y'],
  // Greek (capitals that look Latin, and lower-case letters that do)
  ['ΑαάΆ', 'a'],
  ['Ββ', 'b'],
  ['ΕεέΈ', 'e'],
  ['Ηή', 'h'],
  ['ΙιίΊϊΪΐ', 'i'],
  ['ΚκϏ', 'k'],
  ['Μ', 'm'],
  ['Νη', 'n'],
  ['ΟοόΌσ', 'o'],
  ['Ρρϱ', 'p'],
  ['Ττ', 't'],
  ['υύϋΰ', 'u'],
  ['ν', 'v'],
  ['ω', 'w'],
  ['Χχ', 'x'],
  ['Υγϒ', 'y'],
  ['Ζ', 'z'],
  // Armenian
  ['ա', 'w'],
  ['ց', 'g'],
  ['հ', 'h'],
  ['ո', 'n'],
  ['օՕ', 'o'],
  ['ք', 'p'],
  ['ս', 'u'],
  ['Ս', 'u'],
  ['Տ', 's'],
  // Cherokee capitals
  ['Ꭺ', 'a'],
  ['Ᏼ', 'b'],
  ['Ꮯ', 'c'],
  ['Ꭰ', 'd'],
  ['Ꭼ', 'e'],
  ['Ꮐ', 'g'],
  ['Ꮋ', 'h'],
  ['Ꭻ', 'j'],
  ['Ꮶ', 'k'],
  ['Ꮮ', 'l'],
  ['Ꮇ', 'm'],
  ['Ꮲ', 'p'],
  ['Ꮪ', 's'],
  ['Ꭲ', 't'],
  ['Ꮩ', 'v'],
  ['Ꮃ', 'w'],
  ['Ꮤ', 'w'],
  ['Ꮓ', 'z'],
  // Latin small capitals and IPA letters
  ['ᴀɑ', 'a'],
  ['ʙ', 'b'],
  ['ᴄ', 'c'],
  ['ᴅ', 'd'],
  ['ᴇ', 'e'],
  ['ꜰ', 'f'],
  ['ɢɡ', 'g'],
  ['ʜ', 'h'],
  ['ᴊȷ', 'j'],
  ['ᴋ', 'k'],
  ['ʟ', 'l'],
  ['ᴍ', 'm'],
  ['ɴ', 'n'],
  ['ᴏ', 'o'],
  ['ᴘ', 'p'],
  ['ʀ', 'r'],
  ['ꜱ', 's'],
  ['ᴛ', 't'],
  ['ᴜ', 'u'],
  ['ᴠ', 'v'],
  ['ᴡ', 'w'],
  ['ʏ', 'y'],
  ['ᴢ', 'z'],
];

const table = new Map<number, string>();
for (const [chars, ascii] of GROUPS) {
  for (const ch of chars) table.set(ch.codePointAt(0) as number, ascii);
}
// Letter blocks with no decomposition: negative circled (U+1F150), negative squared (U+1F170) and the
// regional indicator symbols (U+1F1E6), each A..Z in order.
for (const base of [0x1f150, 0x1f170, 0x1f1e6]) {
  for (let i = 0; i < 26; i++) table.set(base + i, String.fromCharCode(0x61 + i));
}

/** The ASCII letter a code point imitates, or undefined. */
export function confusableOf(codePoint: number): string | undefined {
  return table.get(codePoint);
}

/** How many code points the table maps (for the docs and tests). */
export const confusableCount = table.size;
