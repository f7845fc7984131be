import { expect } from 'vitest';
import { render, waitFor } from '@testing-library/preact';
import { App } from '../../../components/options/App';
import { createOptionsStore, optionsActions } from '../../../components/options/store';
import { setHistoryModuleForTests } from '../../../components/options/history';

export async function renderOptions(history: Parameters<typeof setHistoryModuleForTests>[0] = null) {
  setHistoryModuleForTests(history);
  const store = createOptionsStore();
  const actions = optionsActions(store);
  const view = render(<App ctx={{ store, actions }} />);
  const unwatch = await actions.init();
  await waitFor(() => expect(view.container.querySelector('[data-status="ready"]')).not.toBeNull());
  return { store, actions, view, unwatch, c: view.container };
}

/** Types into a field and commits it the way a browser does (input events, then change). */
export function typeAndCommit(el: Element, value: string) {
  const input = el as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
