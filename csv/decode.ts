/**
 * An export's bytes → text: UTF-8 with or without BOM, or cp1251 (detected:
 * invalid UTF-8, or the UTF-8 text being cp1251 mojibake of a known header).
 */

export type CsvEncoding = 'utf-8' | 'windows-1251';

let cp1251Encoder: Map<string, number> | undefined;
/** char → cp1251 byte, built from the decoder itself (no table to get wrong). */
function cp1251Bytes(text: string): Uint8Array | undefined {
  if (!cp1251Encoder) {
    cp1251Encoder = new Map();
    const all = new Uint8Array(256).map((_, i) => i);
    const chars = new TextDecoder('windows-1251').decode(all);
    for (let i = 0; i < 256; i++) cp1251Encoder.set(chars[i]!, i);
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = cp1251Encoder.get(text[i]!);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

/** Words every Ozon export header holds; used to tell real text from mojibake. */
const HEADER_PROBES = /номер отправления|номер заказа|posting number|order number|статус|status/i;

/**
 * Bytes → text. UTF-8 first (BOM stripped); invalid UTF-8 is cp1251. A
 * UTF-8 file whose header only makes sense after undoing a cp1251
 * round-trip ("РќРѕРјРµСЂ" for «Номер») is repaired.
 */
export function decodeCsvBytes(input: ArrayBuffer | Uint8Array): { text: string; encoding: CsvEncoding; repairedMojibake?: boolean } {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
  const head = text.slice(0, 2000);
  if (!HEADER_PROBES.test(head) && /[РС][\u0080-\u045f]/.test(head)) {
    const raw = cp1251Bytes(text);
    if (raw) {
      try {
        const fixed = new TextDecoder('utf-8', { fatal: true }).decode(raw);
        if (HEADER_PROBES.test(fixed.slice(0, 2000))) return { text: fixed, encoding: 'utf-8', repairedMojibake: true };
      } catch {
        /* not mojibake after all */
      }
    }
  }
  return { text, encoding: 'utf-8' };
}
