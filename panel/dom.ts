/**
 * Ancestor and role tests, hand-written instead of Element#closest /
 * #matches with selector lists: they run per anchor (10,000 on a 5,000-row
 * page), and some engines parse and match a selector list on every call.
 */

/** `dialog`, role=dialog/alertdialog, aria-modal=true: the drawer. */
export function isDialogEl(e: Element): boolean {
  if (e.tagName === 'DIALOG') return true;
  const role = e.getAttribute('role');
  return role === 'dialog' || role === 'alertdialog' || e.getAttribute('aria-modal') === 'true';
}

/** `tr` or role=row. */
export function isRowEl(e: Element): boolean {
  return e.tagName === 'TR' || e.getAttribute('role') === 'row';
}

export function isCellEl(e: Element): boolean {
  const t = e.tagName;
  if (t === 'TD' || t === 'TH') return true;
  const role = e.getAttribute('role');
  return role === 'cell' || role === 'gridcell' || role === 'rowheader';
}

export function closestWhere(el: Element, test: (e: Element) => boolean): Element | null {
  for (let e: Element | null = el; e; e = e.parentElement) if (test(e)) return e;
  return null;
}

const GRID_ROLES = new Set(['grid', 'table', 'treegrid']);

/** role=grid/table/treegrid. */
export function isGridEl(e: Element): boolean {
  const role = e.getAttribute('role');
  return role !== null && GRID_ROLES.has(role);
}
