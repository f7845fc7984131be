import { render } from 'preact';
import { App } from '../../components/popup/App';
import { createPopupStore } from '../../components/popup/store';
import { historySource } from '../../components/popup/historySource';
import { storageConfig } from '../../components/popup/config';
import { applyLanguage } from '../../lib/language';
import { lang, LANG_TAG } from '../../lib/i18n';
import './style.css';

async function boot() {
  const root = document.getElementById('app')!;
  // Only our own "open in a tab" link asks for the wide layout: a popup's size is not known at start-up.
  const inTab = new URLSearchParams(location.search).get('view') === 'tab';
  document.documentElement.classList.toggle('in-tab', inTab);

  const config = storageConfig();
  const first = await config.load().catch(() => null);
  let language = first?.settings.language ?? 'auto';
  await applyLanguage(language);
  document.documentElement.lang = LANG_TAG[lang()];

  const source = historySource();
  const store = createPopupStore({ source, config });
  const draw = () => render(<App store={store} source={source} inTab={inTab} />, root);
  draw();

  // A language switch in the options page: reload the table and redraw everything.
  store.subscribe((s) => {
    if (s.settings.language === language) return;
    language = s.settings.language;
    void applyLanguage(language).then(() => {
      document.documentElement.lang = LANG_TAG[lang()];
      render(null, root);
      draw();
    });
  });

  await store.getState().init();
  addEventListener('pagehide', () => store.getState().dispose());
}

void boot();
