/**
 * The popup's and options' style sheets are plain CSS: no nesting. A rule left
 * open (a lost `}` in a merge) is still valid CSS to the bundler, which reads
 * everything after it as nested rules scoped under that selector, so dozens of
 * rules silently stop applying (it once hid the translated file button and put
 * the browser's untranslated "Choose File" back in the zh popup). This walks
 * each sheet and fails on any rule opened inside another rule.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHEETS = ['entrypoints/popup/style.css', 'entrypoints/options/style.css'];

/** Selectors of rules that open inside another (non-@) rule, with their line numbers. */
export function nestedRules(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const stack: { at: boolean }[] = [];
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      const head = text.slice(start, i).trim();
      const inRule = stack.some((s) => !s.at);
      if (inRule) out.push(`line ${text.slice(0, i).split('\n').length}: ${head}`);
      stack.push({ at: head.startsWith('@') });
      start = i + 1;
    } else if (ch === '}') {
      stack.pop();
      start = i + 1;
    } else if (ch === ';') start = i + 1;
  }
  if (stack.length) out.push(`${stack.length} rule(s) never closed`);
  return out;
}

describe('style sheets: every rule closed, none nested', () => {
  for (const f of SHEETS) {
    it(f, () => {
      expect(nestedRules(readFileSync(path.join(ROOT, f), 'utf8'))).toEqual([]);
    });
  }
  it('the check itself finds a lost brace and the nesting it causes', () => {
    expect(nestedRules('.a { color: red;\n.b { color: blue; }\n')).toEqual(['line 2: .b', '1 rule(s) never closed']);
    expect(nestedRules('@media (x) { .a { color: red; } }\n.b{}')).toEqual([]);
  });
});
