/**
 * A DIAGNOSTIC build for `node bench/run.mjs --diag`: the production config
 * with minification off, so the profiler's per-function breakdown names real
 * functions. Figures from it are not the shipped build's; the bench says so.
 */
import { defineConfig } from 'wxt';
import base from '../wxt.config';
import type { UserConfig as ViteUserConfig } from 'vite';

export default defineConfig({
  ...base,
  outDir: '.output-diag',
  vite: (env) => {
    const v = (typeof base.vite === 'function' ? base.vite(env) : {}) as ViteUserConfig;
    return { ...v, build: { ...(v.build ?? {}), minify: false } };
  },
});
