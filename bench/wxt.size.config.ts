/**
 * A SIZE build for `node bench/lib/size.mjs`: the production config (minified, the same
 * chunks) plus source maps, written to its own folder so the shipped build is never touched.
 * The source map names, for every minified byte, the source file it came from.
 */
import { defineConfig } from 'wxt';
import base from '../wxt.config';
import type { UserConfig as ViteUserConfig } from 'vite';

export default defineConfig({
  ...base,
  outDir: process.env.OOG_SIZE_OUT_DIR ?? '.output-size',
  vite: (env) => {
    const v = (typeof base.vite === 'function' ? base.vite(env) : {}) as ViteUserConfig;
    return { ...v, build: { ...(v.build ?? {}), sourcemap: true } };
  },
});
