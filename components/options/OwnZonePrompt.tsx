/**
 * First run in a Moscow-set browser (lib/own-zone.ts): ask for the seller's own
 * zone, so the second clock (T2) is not Moscow twice. The answer is the
 * existing `secondZone` setting, validated as the settings field validates it.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n';
import { browserZone } from '../../storage/settings';
import { browserZoneFacts, needsZonePrompt, OWN_ZONE_CHOICES, zoneConfirmedItem } from '../../lib/own-zone';
import { useCtx, useSlice } from './context';
import { errorText, zoneLabel } from './format';
import { zoneName } from '../../lib/when';

export function OwnZonePrompt() {
  const { actions } = useCtx();
  const secondZone = useSlice((s) => s.settings.secondZone);
  const error = useSlice((s) => s.errors.secondZone);
  const [confirmed, setConfirmed] = useState<boolean | null>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    let live = true;
    zoneConfirmedItem
      .getValue()
      .then((v) => live && setConfirmed(v === true))
      .catch(() => live && setConfirmed(false));
    return () => {
      live = false;
    };
  }, []);
  if (confirmed === null) return null;
  if (!needsZonePrompt({ browserZone: browserZone(), ...browserZoneFacts(), confirmed, secondZone })) return null;

  const answer = async (zone: string) => {
    if (!(await actions.setZone(zone))) return; // the error shows below; nothing is lost
    try {
      await zoneConfirmedItem.setValue(true);
    } catch {
      /* the chosen zone itself is saved; the prompt only stays until it can be marked */
    }
    setConfirmed(true);
  };

  return (
    <section class="card notice" id="own-zone" data-own-zone-prompt role="region" aria-labelledby="own-zone-title">
      <h2 id="own-zone-title">{t('ownzone_title')}</h2>
      <p>{t('ownzone_body', zoneLabel('Europe/Moscow'))}</p>
      <div class="inline">
        {OWN_ZONE_CHOICES.map((z) => (
          <button key={z} type="button" data-own-zone={z} onClick={() => void answer(z)}>
            {z === 'Europe/Moscow' ? t('ownzone_moscow') : z === 'Asia/Shanghai' ? `${zoneName(z, Date.now())} · ${zoneLabel(z)}` : zoneLabel(z)}
          </button>
        ))}
      </div>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void answer(typed);
        }}
      >
        <input
          id="own-zone-custom"
          type="text"
          spellcheck={false}
          placeholder="Asia/Urumqi"
          aria-label={t('ownzone_other')}
          value={typed}
          aria-invalid={error ? 'true' : 'false'}
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit">{t('options_apply')}</button>
      </form>
      {error && (
        <div class="param__error" role="alert" data-error-for="ownZone">
          {errorText(error)}
        </div>
      )}
    </section>
  );
}
