import { render } from 'preact';
import { App } from '../../components/options/App';
import { createOptionsStore, optionsActions } from '../../components/options/store';

const store = createOptionsStore();
const actions = optionsActions(store);
render(<App ctx={{ store, actions }} />, document.getElementById('app')!);
void actions.init().catch((e: unknown) => {
  // Loading never throws into the page: the defaults stay on screen.
  console.warn('[ozon-order-guard] options init', e);
  store.setState({ status: 'ready' });
});
