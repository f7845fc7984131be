import { describe, expect, it } from 'vitest';
import { isMoscowLike, needsZonePrompt, OWN_ZONE_CHOICES } from '../../../lib/own-zone';

const base = { browserZone: 'Europe/Moscow', januaryOffset: -180, julyOffset: -180, confirmed: false, secondZone: 'auto' };

describe('first-run own-zone prompt', () => {
  it('shows when the browser is in Moscow and nothing is confirmed', () => {
    expect(needsZonePrompt(base)).toBe(true);
  });
  it('shows for a UTC+3 zone without DST even when its name is not Moscow', () => {
    expect(needsZonePrompt({ ...base, browserZone: 'Etc/GMT-3' })).toBe(true);
  });
  it('does not show once confirmed or once a zone is chosen', () => {
    expect(needsZonePrompt({ ...base, confirmed: true })).toBe(false);
    expect(needsZonePrompt({ ...base, secondZone: 'Asia/Shanghai' })).toBe(false);
  });
  it('does not show for other zones', () => {
    expect(needsZonePrompt({ ...base, browserZone: 'Asia/Shanghai', januaryOffset: -480, julyOffset: -480 })).toBe(false);
    expect(needsZonePrompt({ ...base, browserZone: 'Europe/Berlin', januaryOffset: -60, julyOffset: -120 })).toBe(false);
    expect(isMoscowLike('Europe/Kaliningrad', -120, -120)).toBe(false);
  });
  it('offers Beijing first and Moscow as "I am in Moscow"', () => {
    expect(OWN_ZONE_CHOICES[0]).toBe('Asia/Shanghai');
    expect(OWN_ZONE_CHOICES).toContain('Europe/Moscow');
  });
});
