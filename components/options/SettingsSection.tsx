/**
 * Settings: language (applies to this page at once), the second clock's
 * zone (T2), 24-hour format, badge density and parts, notifications. The
 * reminder lead times are rulebook values (D5): linked, not duplicated.
 */
import { t } from '../../lib/i18n';
import { browserZone, COMMON_ZONES, secondZoneOf, type Settings } from '../../storage/settings';
import { defaultRulebook } from '../../rules';
import { useCtx, useSlice } from './context';
import { clockText, errorText, fieldId, valueText, zoneLabel } from './format';
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { ValidationError } from '../../rules';

const LANG_CHOICES: { value: Settings['language']; label?: string }[] = [
  { value: 'auto' },
  // A language's own name, so a seller finds theirs whatever is on screen.
  { value: 'zh_CN', label: '中文' },
  { value: 'ru', label: 'Русский' },
  { value: 'en', label: 'English' },
];

function ZoneField() {
  const { actions } = useCtx();
  const zone = useSlice((s) => s.settings.secondZone);
  const hour12 = useSlice((s) => s.settings.hour12);
  const draft = useSlice((s) => s.drafts.secondZone);
  const error = useSlice((s) => s.errors.secondZone);
  const isCustom = zone !== 'auto' && !COMMON_ZONES.includes(zone);
  const [custom, setCustom] = useState(isCustom || draft !== undefined);
  const selectValue = custom ? 'custom' : zone;
  const effective = secondZoneOf({ secondZone: zone });
  return (
    <div class="field">
      <label for="zone-select">{t('options_zone')}</label>
      <p class="muted small">{t('options_zone_hint')}</p>
      <select
        id="zone-select"
        value={selectValue}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (v === 'custom') setCustom(true);
          else {
            setCustom(false);
            void actions.setZone(v);
          }
        }}
      >
        <option value="auto">{t('options_zone_auto', browserZone())}</option>
        {COMMON_ZONES.map((z) => (
          <option key={z} value={z}>
            {zoneLabel(z)}
          </option>
        ))}
        <option value="custom">{t('options_zone_custom')}</option>
      </select>
      {custom && (
        <TypedValue
          field="secondZone"
          name="zone"
          id="zone-custom"
          errorId="zone-custom-err"
          placeholder="Asia/Urumqi"
          label={t('options_zone_custom')}
          value={draft ?? (isCustom ? zone : '')}
          onApply={(v) => void actions.setZone(v)}
        />
      )}
      <FieldError field="secondZone" id="zone-custom-err" error={error} />
      <p class="clock" data-clock>
        {t('options_clock_preview', clockText('Europe/Moscow', hour12), t('tz_moscow'), clockText(effective, hour12), effective)}
      </p>
    </div>
  );
}

/** A typed value (a zone, an offset) applied on submit; the draft is kept in the store while it is typed. */
function TypedValue(props: {
  field: 'secondZone' | 'pageZone';
  name: string;
  id: string;
  errorId: string;
  placeholder: string;
  label: string;
  value: string;
  onApply: (v: string) => void;
}) {
  const { actions } = useCtx();
  const error = useSlice((s) => s.errors[props.field]);
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const input = (e.currentTarget as HTMLFormElement).elements.namedItem(props.name) as HTMLInputElement;
        props.onApply(input.value);
      }}
    >
      <input
        id={props.id}
        name={props.name}
        type="text"
        spellcheck={false}
        placeholder={props.placeholder}
        aria-label={props.label}
        value={props.value}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? props.errorId : undefined}
        onInput={(e) => actions.draft(props.field, (e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit">{t('options_apply')}</button>
    </form>
  );
}

/** Why a typed value was refused, next to its field. */
function FieldError({ field, id, error }: { field: string; id: string; error: ValidationError | undefined }) {
  if (!error) return null;
  return (
    <div class="param__error" id={id} role="alert" data-error-for={field}>
      {errorText(error)}
    </div>
  );
}

/** T3: the zone the panel's zone-less times are read in (rules/page-zone.ts); auto by default. */
function PageZoneField() {
  const { actions } = useCtx();
  const zone = useSlice((s) => s.settings.pageZone);
  const draft = useSlice((s) => s.drafts.pageZone);
  const error = useSlice((s) => s.errors.pageZone);
  const isFixed = zone !== 'auto' && zone !== 'moscow' && zone !== 'local';
  const [fixed, setFixed] = useState(isFixed || draft !== undefined);
  return (
    <div class="field" data-setting="page-zone">
      <label for="page-zone-select">{t('options_page_zone')}</label>
      <p class="muted small">{t('options_page_zone_hint')}</p>
      <select
        id="page-zone-select"
        value={fixed ? 'fixed' : zone}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (v === 'fixed') setFixed(true);
          else {
            setFixed(false);
            void actions.setPageZone(v);
          }
        }}
      >
        <option value="auto">{t('options_page_zone_auto')}</option>
        <option value="moscow">{t('options_page_zone_moscow')}</option>
        <option value="local">{t('options_page_zone_local', browserZone())}</option>
        <option value="fixed">{t('options_page_zone_fixed')}</option>
      </select>
      {fixed && (
        <TypedValue
          field="pageZone"
          name="pageZone"
          id="page-zone-offset"
          errorId="page-zone-err"
          placeholder="UTC+5"
          label={t('options_page_zone_offset')}
          value={draft ?? (isFixed ? zone : '')}
          onApply={(v) => void actions.setPageZone(v)}
        />
      )}
      <FieldError field="pageZone" id="page-zone-err" error={error} />
    </div>
  );
}

export function SettingsSection() {
  const { actions } = useCtx();
  useSlice((s) => s.lang);
  const s = useSlice((st) => st.settings);
  const atRisk = useSlice((st) => st.rulebook.deadlines.atRiskHours.value);
  const critical = useSlice((st) => st.rulebook.deadlines.criticalMinutes.value);
  const parts = s.badgeParts;
  const n = s.notifications;
  /** One D5 reminder point's switch (its lead time is a rulebook value, linked from the label). */
  const point = (key: 'atRisk' | 'critical' | 'overdue', label: ComponentChildren) => (
    <label class="check">
      <input
        type="checkbox"
        disabled={!n.enabled}
        checked={n[key]}
        onChange={(e) => void actions.updateSettings({ notifications: { ...n, [key]: (e.currentTarget as HTMLInputElement).checked } })}
      />
      <span>{label}</span>
    </label>
  );
  const check = (checked: boolean, onChange: (v: boolean) => void, label: string, hint?: string, attr?: string) => (
    <label class="check" data-setting={attr}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span>
        {label}
        {hint && <span class="muted small"> — {hint}</span>}
      </span>
    </label>
  );
  return (
    <section id="settings" class="card" aria-labelledby="settings-h">
      <h2 id="settings-h">{t('options_settings_title')}</h2>

      <div class="field">
        <label for="lang-select">{t('options_language')}</label>
        <select
          id="lang-select"
          value={s.language}
          onChange={(e) => void actions.setLanguage((e.currentTarget as HTMLSelectElement).value as Settings['language'])}
        >
          {LANG_CHOICES.map((c) => (
            <option key={c.value} value={c.value} lang={c.value === 'zh_CN' ? 'zh-CN' : c.value === 'auto' ? undefined : c.value}>
              {c.label ?? t('options_language_auto')}
            </option>
          ))}
        </select>
      </div>

      <ZoneField />

      <PageZoneField />

      <div class="field">
        {check(!s.hour12, (v) => void actions.updateSettings({ hour12: !v }), t('options_24h'), undefined, 'hour24')}
      </div>

      <fieldset class="field">
        <legend>{t('options_density')}</legend>
        {(['compact', 'detailed'] as const).map((d) => (
          <label class="check" key={d}>
            <input
              type="radio"
              name="density"
              checked={s.badgeDensity === d}
              onChange={() => void actions.updateSettings({ badgeDensity: d })}
            />
            <span>
              {t(`options_density_${d}`)}
              <span class="muted small"> — {t(`options_density_${d}_desc`)}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset class="field">
        <legend>{t('options_parts')}</legend>
        {(['cancel', 'archive', 'countdown'] as const).map((p) =>
          check(parts[p], (v) => void actions.updateSettings({ badgeParts: { ...parts, [p]: v } }), t(`options_part_${p}`), undefined, `part-${p}`),
        )}
      </fieldset>

      <fieldset class="field">
        <legend>{t('options_notifications')}</legend>
        {check(n.enabled, (v) => void actions.updateSettings({ notifications: { ...n, enabled: v } }), t('options_notif_enabled'), undefined, 'notif-enabled')}
        <div class={`indent${n.enabled ? '' : ' disabled'}`}>
          {point(
            'atRisk',
            <>
              {t('options_notif_at_risk', valueText(atRisk, defaultRulebook.deadlines.atRiskHours.unit))}{' '}
              <a href={`#${fieldId('deadlines.atRiskHours')}`}>{t('options_change_in_rulebook', 'D5')}</a>
            </>,
          )}
          {point(
            'critical',
            <>
              {t('options_notif_critical', valueText(critical, defaultRulebook.deadlines.criticalMinutes.unit))}{' '}
              <a href={`#${fieldId('deadlines.criticalMinutes')}`}>{t('options_change_in_rulebook', 'D5')}</a>
            </>,
          )}
          {point('overdue', t('options_notif_overdue'))}
          {/* D5: reminders that can't be missed (background/notifications.ts notificationExtras). */}
          {check(n.stayUntilClicked, (v) => void actions.updateSettings({ notifications: { ...n, stayUntilClicked: v } }), t('options_notif_stay'), undefined, 'notif-stay')}
          {check(n.sound, (v) => void actions.updateSettings({ notifications: { ...n, sound: v } }), t('options_notif_sound'), t('options_notif_sound_hint'), 'notif-sound')}
        </div>
      </fieldset>
    </section>
  );
}
