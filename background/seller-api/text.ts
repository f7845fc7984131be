/**
 * The sync's words for the options page and the popup: the exact error
 * (status, method, Ozon's own message), progress and "how long ago".
 */
import { t, tp } from '../../lib/i18n';
import { durationText } from '../../lib/duration';
import type { StoreSyncState, SyncError } from './store';

export function agoText(iso: string | undefined, now: number): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(at)) return '';
  const ms = now - at;
  if (ms < 60_000) return t('apisync_just_now');
  return t('apisync_ago', durationText(ms));
}

export function errorText(e: Pick<SyncError, 'kind' | 'status' | 'detail' | 'path'>): string {
  const code = e.status ? `HTTP ${e.status}` : e.kind;
  let s: string;
  switch (e.kind) {
    case 'auth':
      s = t('apisync_err_auth', code);
      break;
    case 'forbidden':
      s = t('apisync_err_forbidden', code, e.path ?? '');
      break;
    case 'rate':
      s = t('apisync_err_rate', code);
      break;
    case 'server':
      s = t('apisync_err_server', code);
      break;
    case 'network':
      s = t('apisync_err_network');
      break;
    case 'permission':
      s = t('apisync_err_permission');
      break;
    default:
      s = t('apisync_err_other', code, e.path ?? '');
  }
  return e.detail && e.kind !== 'network' ? `${s} ${t('apisync_err_detail', e.detail)}` : s;
}

/** "Synced 4,312 postings, 2 min ago" / "Syncing… 1,200 postings so far" / "Not synced yet." */
export function progressText(s: StoreSyncState | undefined, now: number): string {
  if (s?.run) return tp('apisync_running', s.run.postings);
  if (s?.last) return tp('apisync_synced', s.last.postings, agoText(s.last.at, now));
  return t('apisync_never');
}
