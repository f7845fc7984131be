// The floor (bench/floor-ext/README.md): per added row, the least any badge meeting contract §3 must do.
// Find the posting link, read the status word and the shipment date, work out the deadline and the
// level, and put one element with the seven contract attributes and a countdown text into the row.
// No panel JSON, no rulebook, no history, no card, no i18n, no zone: nothing but that.
(() => {
  const STATUS = new Map([
    ['Ожидает сборки', 'awaiting_packaging'],
    ['Ожидает отгрузки', 'awaiting_deliver'],
    ['Доставляется', 'delivering'],
  ]);
  const DATE = /^(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d)$/;
  const H = 3600e3;
  const own = new WeakSet();
  let statusAt = -1;
  let dateAt = -1;
  const badge = (row) => {
    const a = row.querySelector('a[href*="postingDetails="]');
    if (!a) return;
    // The columns are found once, from the first row's cells (by what they say: class names are
    // hashed), and every later row reads only those two cells: the cheapest reader there is.
    const cells = row.children;
    if (statusAt < 0 || dateAt < 0 || statusAt >= cells.length || dateAt >= cells.length) {
      for (let i = 0; i < cells.length; i++) {
        const t = cells[i].textContent.trim();
        if (STATUS.has(t)) statusAt = i;
        else if (DATE.test(t)) dateAt = i;
      }
    }
    const status = statusAt >= 0 ? STATUS.get(cells[statusAt].textContent.trim()) : undefined;
    const m = dateAt >= 0 ? DATE.exec(cells[dateAt].textContent.trim()) : null;
    // The panel prints Moscow time (UTC+3); the row's last date is the shipment date.
    const due = m ? Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4] - 3, +m[5]) : null;
    if (!status) return;
    const left = due === null ? NaN : due - Date.now();
    const h = document.createElement('ozon-guard-badge');
    own.add(h);
    h.setAttribute('data-ozon-guard', '');
    h.setAttribute('data-posting', a.textContent);
    h.setAttribute('data-status', status);
    h.setAttribute('data-cancel', status === 'delivering' ? 'blocked' : 'allowed');
    h.setAttribute('data-archive', 'blocked');
    h.setAttribute('data-deadline', due === null ? 'none' : 'ship');
    if (due !== null) h.setAttribute('data-due', new Date(due).toISOString());
    h.setAttribute('data-level', !(left === left) ? 'none' : left < 0 ? 'overdue' : left < 2 * H ? 'critical' : left < 12 * H ? 'at_risk' : 'ok');
    if (left === left) h.setAttribute('data-t-cd', `${Math.floor(Math.abs(left) / H)} ч ${Math.floor((Math.abs(left) % H) / 60e3)} мин`);
    a.parentElement.append(h);
  };
  const opts = { childList: true, subtree: true };
  const mo = new MutationObserver((records) => {
    mo.disconnect();
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && !own.has(n)) badge(n);
    mo.observe(document.body, opts);
  });
  mo.observe(document.body, opts);
})();
