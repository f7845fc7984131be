/** One line in the popup while the options page's own-zone question is open (lib/own-zone.ts). */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { browserZone } from '../../storage/settings';
import { browserZoneFacts, needsZonePrompt, zoneConfirmedItem } from '../../lib/own-zone';

export function OwnZoneHint({ secondZone }: { secondZone: string }) {
  const [confirmed, setConfirmed] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    zoneConfirmedItem
      .getValue()
      .then((v) => live && setConfirmed(v === true))
      .catch(() => live && setConfirmed(true)); // unknown: stay quiet rather than nag
    return () => {
      live = false;
    };
  }, []);
  if (confirmed === null || !needsZonePrompt({ browserZone: browserZone(), ...browserZoneFacts(), confirmed, secondZone })) return null;
  return (
    <p class="note small" data-own-zone-hint="">
      {t('ownzone_hint')}{' '}
      <a
        href={browser.runtime.getURL('/options.html#own-zone')}
        target="_blank"
        rel="noopener"
        onClick={(e) => {
          e.preventDefault();
          void browser.runtime.openOptionsPage().catch(() => undefined);
        }}
      >
        {t('ownzone_hint_link')}
      </a>
    </p>
  );
}
