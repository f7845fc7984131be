/**
 * The options page's Seller API section: a saved key leaves the form and is
 * shown masked only; bad input is refused with a reason; "Remove key" takes
 * it out of storage in one click; sync stays off until turned on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readKeys } from '../../../background/seller-api/store';
import { renderOptions } from '../../components/options/helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

describe('options: Seller API sync section', () => {
  it('saves a key off by default, masks it, removes it in one click', async () => {
    const { c } = await renderOptions();
    const section = await waitFor(() => {
      const el = c.querySelector('[data-api-sync]');
      expect(el).not.toBeNull();
      return el!;
    });
    const id = section.querySelector('[data-api-client-id]') as HTMLInputElement;
    const key = section.querySelector('[data-api-key]') as HTMLInputElement;
    expect(key.type).toBe('password');
    fireEvent.input(id, { target: { value: 'abc' } });
    fireEvent.input(key, { target: { value: 'secret-key-9f3a' } });
    fireEvent.submit(section.querySelector('form')!);
    await waitFor(() => expect(section.querySelector('[data-api-form="error"]')?.textContent).toMatch(/Client-Id is a number/));
    fireEvent.input(id, { target: { value: '555666' } });
    fireEvent.submit(section.querySelector('form')!);
    const row = await waitFor(() => {
      const el = section.querySelector('[data-api-store="555666"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(row.getAttribute('data-api-enabled')).toBe('false');
    expect(row.textContent).toContain('••••9f3a');
    expect(c.textContent).not.toContain('secret-key-9f3a');
    await waitFor(() => expect((section.querySelector('[data-api-key]') as HTMLInputElement).value).toBe(''));
    expect((await readKeys())['555666']).toMatchObject({ apiKey: 'secret-key-9f3a', enabled: false, origin: 'https://api-seller.ozon.ru' });
    expect(row.querySelector('[data-api-sync-now]')!.hasAttribute('disabled')).toBe(true);
    fireEvent.click(row.querySelector('[data-api-remove]')!);
    await waitFor(() => expect(section.querySelector('[data-api-store="555666"]')).toBeNull());
    expect(await readKeys()).toEqual({});
  });
});
