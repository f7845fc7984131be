import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { useOptions, type OptionsActions, type OptionsState, type OptionsStore } from './store';

export interface OptionsCtx {
  store: OptionsStore;
  actions: OptionsActions;
}

export const OptionsContext = createContext<OptionsCtx | null>(null);

export function useCtx(): OptionsCtx {
  const c = useContext(OptionsContext);
  if (!c) throw new Error('OptionsContext missing');
  return c;
}

/** A slice of the options state; also re-renders on a language switch. */
export function useSlice<T>(select: (s: OptionsState) => T): T {
  const { store } = useCtx();
  return useOptions(store, select);
}
