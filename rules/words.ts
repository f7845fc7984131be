/**
 * Text folded to its words, the one home of what the status table (L3), the cancellation
 * reasons and initiators (C2) and the carrier whitelist (D3) compare: lower-cased, every run of
 * characters that are neither a letter nor a number made one space, trimmed. Exactly
 * `s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()`.
 *
 * Why not only that regex: a Unicode property class is compiled on its first use, and that costs
 * ≈ 2–3 ms (the engine builds the hundreds of ranges `\p{L}` stands for), once per regex literal
 * and per page load. The status table and the reasons' index are folded when the content script
 * loads, so every Seller Panel page load paid two such compiles before its first badge, and the
 * first carrier a third (docs/performance.md, "Nineteenth pass"). The text the panel writes is
 * ASCII, Cyrillic, CJK ideographs and the punctuation around them: text made only of those
 * characters is folded by a plain class that says which of them are words (compiled in ≈ 0.1 ms),
 * and any other text by the property regex, compiled the first time such text is met. A loop over
 * the characters in JavaScript was tried first: run cold, as a page load runs it, it cost more
 * than the compile it saved. test/rules/words.test.ts holds both classes equal to `\p{L}\p{N}` on
 * every code unit they cover and the fold equal to the regex's on random text.
 */

/** Text made only of characters NON_WORD_FAST settles (no surrogates: an astral character takes the property regex). */
export const FAST_ALPHABET = /^[\0-\x7f\u00a0\u00ab\u00bb\u0400-\u04ff\u2000-\u206f\u3000-\u3004\u3008-\u3020\u4e00-\u9fff\uff01-\uff5a]*$/;

/**
 * Runs of non-words within FAST_ALPHABET: everything there but the ASCII letters and digits, the
 * Cyrillic letters (not ҂ U+0482 nor the combining marks U+0483–U+0489), the CJK ideographs (the
 * block was completed in Unicode 14, so no engine's Unicode version disagrees) and the fullwidth
 * digits and Latin letters.
 */
export const NON_WORD_FAST = /[^0-9A-Za-z\u0400-\u0481\u048a-\u04ff\u4e00-\u9fff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+/g;

/** `[^\p{L}\p{N}]+`, compiled the first time text outside FAST_ALPHABET is folded. */
let nonWord: RegExp | undefined;

/** The words of `input`, lower-cased and joined by one space (see the file's comment). */
export function foldWords(input: string): string {
  const s = input.toLowerCase();
  return s.replace(FAST_ALPHABET.test(s) ? NON_WORD_FAST : (nonWord ??= /[^\p{L}\p{N}]+/gu), ' ').trim();
}
