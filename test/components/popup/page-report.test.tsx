/**
 * The popup's "Save page report": hidden when no panel tab answers, a quiet
 * line with an explanation on a panel page, a prominent card when that page
 * is in the layout-changed state; saving asks the tab for the report and
 * saves it under ozon-order-guard-report-<date>.json; a failure is shown.
 */
import { describe, expect, it, vi } from 'vitest';
import { render, screen, fireEvent, waitFor, cleanup } from '@testing-library/preact';
import { PageReport, saveFile, type ReportProbe } from '../../../components/popup/PageReport';
import type { ReportStatus } from '../../../components/overlay/report-messages';
import type { PageReport as Report } from '../../../panel/report';

function probe(status: ReportStatus | null, answer: Awaited<ReturnType<ReportProbe['build']>> = { report: { format: 'ozon-order-guard/page-report' } as Report, fileName: 'ozon-order-guard-report-2026-11-22.json' }) {
  const saved: [string, string][] = [];
  const p: ReportProbe = {
    find: async () => (status ? { tabId: 7, status } : null),
    build: vi.fn(async () => answer),
    save: (text, name) => saved.push([text, name]),
  };
  return { p, saved };
}

const OK: ReportStatus = { panel: true, postings: true, layoutChanged: false, rows: 12 };

describe('PageReport (popup)', () => {
  it('shows nothing when the active tab is not a panel page', async () => {
    const { p } = probe(null);
    const { container } = render(<PageReport probe={p} />);
    await new Promise((ok) => setTimeout(ok, 10));
    expect(container.innerHTML).toBe('');
    cleanup();
  });

  it('a quiet line with an explanation on a panel page; saving downloads the report', async () => {
    const { p, saved } = probe(OK);
    const { container } = render(<PageReport probe={p} />);
    await waitFor(() => expect(container.querySelector('[data-page-report="quiet"]')).not.toBeNull());
    expect(container.textContent).toContain('Save a page report');
    expect(container.querySelector('details')!.textContent).toMatch(/Not in it: no buyer names/);
    fireEvent.click(screen.getByRole('button', { name: 'Save page report' }));
    await waitFor(() => expect(container.querySelector('[data-report-saved]')).not.toBeNull());
    expect(p.build).toHaveBeenCalledWith(7);
    expect(saved).toHaveLength(1);
    expect(saved[0]![1]).toBe('ozon-order-guard-report-2026-11-22.json');
    expect(JSON.parse(saved[0]![0])).toEqual({ format: 'ozon-order-guard/page-report' });
    expect(container.textContent).toContain('Saved ozon-order-guard-report-2026-11-22.json');
    cleanup();
  });

  it('prominent when the page is in the layout-changed state', async () => {
    const { p } = probe({ ...OK, layoutChanged: true, rows: 0 });
    const { container } = render(<PageReport probe={p} />);
    await waitFor(() => expect(container.querySelector('[data-page-report="prominent"]')).not.toBeNull());
    expect(container.querySelector('h2')!.textContent).toBe('No order row recognised on this page');
    expect(container.querySelector('.page-report-primary')).not.toBeNull();
    cleanup();
  });

  it('says why when the report cannot be made', async () => {
    const { p, saved } = probe(OK, { error: 'the panel tab did not answer; reload it and try again' });
    const { container } = render(<PageReport probe={p} />);
    await waitFor(() => expect(container.querySelector('[data-report-save]')).not.toBeNull());
    fireEvent.click(container.querySelector('[data-report-save]')!);
    await waitFor(() => expect(container.querySelector('[data-report-failed]')).not.toBeNull());
    expect(container.textContent).toContain('Could not make the page report: the panel tab did not answer');
    expect(saved).toHaveLength(0);
    cleanup();
  });

  it('saveFile uses a blob link with the download name (no downloads permission)', () => {
    const create = vi.fn(() => 'blob:x');
    const orig = URL.createObjectURL;
    URL.createObjectURL = create;
    let clicked: HTMLAnchorElement | null = null;
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the anchor the code clicked is the thing under test
      clicked = this;
    });
    saveFile('{"a":1}', 'ozon-order-guard-report-2026-11-22.json');
    expect(create).toHaveBeenCalledTimes(1);
    expect(clicked!.download).toBe('ozon-order-guard-report-2026-11-22.json');
    expect(clicked!.href).toBe('blob:x');
    expect(clicked!.isConnected).toBe(false);
    spy.mockRestore();
    URL.createObjectURL = orig;
  });
});
