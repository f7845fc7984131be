/** The options page: the rulebook, the profile, store facts (C2), settings, data. */
import { useEffect } from 'preact/hooks';
import { t, tp } from '../../lib/i18n';
import { OptionsContext, useSlice, type OptionsCtx } from './context';
import { ChannelsSection } from './ChannelsSection';
import { DataSection } from './DataSection';
import { ProfileSection } from './ProfileSection';
import { RulebookSection } from './RulebookSection';
import { SettingsSection } from './SettingsSection';
import { StoreFactsSection } from './StoreFactsSection';
import { ApiSyncSection } from './ApiSyncSection';
import { RULE_GROUPS } from './format';
import { OwnZonePrompt } from './OwnZonePrompt';

function Saved() {
  const savedAt = useSlice((s) => s.savedAt);
  return (
    <span class="saved" role="status" aria-live="polite" data-saved-at={savedAt || undefined}>
      {savedAt ? t('options_saved') : t('options_autosave')}
    </span>
  );
}

function LoadNotice() {
  const rejected = useSlice((s) => s.rejectedOnLoad);
  if (!rejected.length) return null;
  return (
    <p class="notice notice--error" role="status" data-rejected-on-load={rejected.length}>
      {tp('options_rejected_on_load', rejected.length, rejected.map((r) => r.path || '—').join(', '))}
    </p>
  );
}

function Page() {
  const status = useSlice((s) => s.status);
  const l = useSlice((s) => s.lang);
  useEffect(() => {
    document.title = `${t('options_title')} · ${t('extName')}`;
  }, [l]);
  return (
    <div class="layout" data-ozon-guard-options data-lang={l} data-status={status}>
      <nav class="nav" aria-label={t('options_nav')}>
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ◷
          </span>
          <span>
            <b>{t('extName')}</b>
            <br />
            <span class="muted small">{t('options_title')}</span>
          </span>
        </div>
        <a href="#rulebook">{t('options_rulebook_title')}</a>
        <div class="nav__sub">
          {RULE_GROUPS.map((g) => (
            <a key={g.id} href={`#group-${g.id}`}>
              {t(`options_group_${g.id}`)}
            </a>
          ))}
        </div>
        <a href="#profile">{t('options_profile_title')}</a>
        <a href="#stores">{t('options_stores_title')}</a>
        <a href="#settings">{t('options_settings_title')}</a>
        <a href="#channels">{t('options_channels_title')}</a>
        <a href="#api-sync">{t('apisync_title')}</a>
        <a href="#data">{t('options_data_title')}</a>
        <Saved />
      </nav>
      <main class="main">
        <LoadNotice />
        {status === 'loading' ? (
          <p class="muted">{t('options_loading')}</p>
        ) : (
          <>
            <OwnZonePrompt />
            <RulebookSection />
            <ProfileSection />
            <StoreFactsSection />
            <SettingsSection />
            <ChannelsSection />
            <ApiSyncSection />
            <DataSection />
          </>
        )}
      </main>
    </div>
  );
}

export function App({ ctx }: { ctx: OptionsCtx }) {
  return (
    <OptionsContext.Provider value={ctx}>
      <Page />
    </OptionsContext.Provider>
  );
}
