/** Which store metric the popup headlines: the seed rulebook (M1) or Ozon's own metrics (O1–O3). */
import { t } from '../../lib/i18n';
import { useCtx, useSlice } from './context';

export function ProfileSection() {
  const { actions } = useCtx();
  useSlice((s) => s.lang);
  const profile = useSlice((s) => s.overrides.profile);
  const choice = (value: 'seed' | 'official', rules: string) => (
    <label class={`choice${profile === value ? ' choice--on' : ''}`}>
      <input
        type="radio"
        name="profile"
        value={value}
        checked={profile === value}
        onChange={() => void actions.setProfile(value)}
        data-profile={value}
      />
      <span>
        <b>{t(`options_profile_${value}`)}</b> <span class="rule__id small">{rules}</span>
        <br />
        <span class="muted">{t(`options_profile_${value}_desc`)}</span>
      </span>
    </label>
  );
  return (
    <section id="profile" class="card" aria-labelledby="profile-h">
      <h2 id="profile-h">{t('options_profile_title')}</h2>
      <p class="muted">{t('options_profile_intro')}</p>
      <div class="choices" role="radiogroup" aria-labelledby="profile-h">
        {choice('seed', 'M1–M8')}
        {choice('official', 'O1–O3')}
      </div>
    </section>
  );
}
