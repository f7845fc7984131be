/** The options page's Preact bindings: the store and its actions in a context, and the hook that subscribes a component to a slice. */
import { createContext } from 'preact';
import { useContext, useLayoutEffect, useReducer, useRef } from 'preact/hooks';
import type { OptionsActions, OptionsState, OptionsStore } from './store';

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

/** Subscribes a component to a slice of the store (re-renders when it changes). */
export function useOptions<T>(store: OptionsStore, select: (s: OptionsState) => T): T {
  const [, force] = useReducer((n: number) => n + 1, 0);
  // The latest selector: props it closes over (a store id) may change between renders.
  const sel = useRef(select);
  sel.current = select;
  const value = select(store.getState());
  const last = useRef(value);
  last.current = value;
  // Layout effect: subscribe right after the render, and catch a change that
  // landed between the render and the subscription (else it is missed for good).
  useLayoutEffect(() => {
    const check = (s: OptionsState) => {
      const next = sel.current(s);
      if (!Object.is(next, last.current)) {
        last.current = next;
        force(0);
      }
    };
    const un = store.subscribe(check);
    check(store.getState());
    return un;
  }, [store]);
  return value;
}
