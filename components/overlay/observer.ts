/**
 * One page-wide MutationObserver with batching (the uBlock Origin domWatcher
 * shape): records are collected and handed over at most every `delay` ms as
 * one batch, never one callback per mutation or per row.
 *
 * Our own badge hosts are invisible to it: the rows' reads and draws run with
 * it disconnected (`quiet`), and records that still concern nodes we own (a
 * tick's text, the chip) are dropped before they can schedule anything, so
 * writing a badge can never make the observer call us again (no feedback loop).
 *
 * Scope: the observer watches document.body (so a list container that the SPA
 * replaces wholesale is still noticed), but once a scope is set only changes
 * inside it are reported; changes outside it are reported only as
 * `outside` elements when they add elements (a new list, a drawer), so the
 * caller can read just those subtrees. A scope that leaves the document is dropped.
 */

export interface Batch {
  /** Elements added (their subtrees are new too). */
  added: Element[];
  /** Nodes whose content changed: parents of childList changes, text nodes' parents, attribute targets. */
  changed: Element[];
  /** Nodes removed. */
  removed: Node[];
  /** Elements added outside the current scope (a drawer, another list), at most OUTSIDE_CAP. */
  outside: Element[];
  /**
   * Our own hosts that the PAGE removed (a re-render wiping a cell). Reported
   * so the caller can put the badge back; hosts the caller removed itself are
   * reported too and simply ignored by it (it has forgotten them).
   */
  ownRemoved: Element[];
  /** The scope was dropped because it left the document. */
  scopeLost: boolean;
}

export interface BatchObserverOptions {
  onBatch(batch: Batch): void;
  /** Whether a node is ours (a badge host, the chip, the card); its mutations are ignored. */
  isOwn(node: Node): boolean;
  delay?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  onError?(e: unknown): void;
  /** Attributes whose change means the row may show another order (recycled rows). */
  attributeFilter?: string[];
  /**
   * An added element the caller wants at once (a new row of a list it
   * already knows): the pending batch is delivered from the observer's own
   * callback instead of after `delay`, so the row's badge lands in the frame
   * the row does (badge latency budget, docs/performance.md). Anything else still waits.
   */
  urgent?(el: Element): boolean;
  /**
   * An element of the page's (not ours) was removed, in the scope or not: told at once, at most once
   * per callback of the observer, nothing collected. What was below it may have moved up into view
   * without a scroll (a filter panel or a banner closed): the caller looks (clock.ts probe).
   */
  removed?(): void;
}

export interface BatchObserver {
  observe(root: Node): void;
  /** Only report changes inside `scope` (null: everything under the observed root). */
  setScope(scope: Element | null): void;
  readonly scope: Element | null;
  /** Hand over what is pending now (tests, navigation). */
  flush(): void;
  /**
   * Runs `fn` (our own writes: badges put into rows) with the observer deaf to it. What the page
   * changed before is kept (taken first); what `fn` changes is never recorded, where a record per
   * badge drawn, only to be dropped as ours (`isOwn`), was a tenth of the rows' cost on a
   * 1,000-row list (docs/performance.md). Nothing of the page's can happen meanwhile (one thread),
   * so nothing of the page's is missed. Nested calls are one.
   */
  quiet<T>(fn: () => T): T;
  disconnect(): void;
  /** How many batches were delivered (tests, the bench). */
  readonly batches: number;
}

/** More outside additions than this in one batch: the caller rescans instead. */
export const OUTSIDE_CAP = 200;

const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'LINK', 'META', 'BR', 'HEAD', 'NOSCRIPT', 'TEMPLATE']);

export function createBatchObserver(opts: BatchObserverOptions): BatchObserver {
  const delay = opts.delay ?? 80;
  const setT = opts.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearT = opts.clearTimeout ?? ((id) => globalThis.clearTimeout(id as number));
  let scope: Element | null = null;
  let timer: unknown = null;
  let batches = 0;
  let added = new Set<Element>();
  let changed = new Set<Element>();
  let removed = new Set<Node>();
  let outside = new Set<Element>();
  let ownRemoved = new Set<Element>();
  let scopeLost = false;

  const inScope = (n: Node): boolean => !scope || scope === n || scope.contains(n);

  const ownNode = (n: Node): boolean => {
    try {
      return opts.isOwn(n);
    } catch {
      return false;
    }
  };

  const isUrgent = (el: Element): boolean => {
    try {
      return opts.urgent!(el);
    } catch {
      return false;
    }
  };

  const collect = (records: MutationRecord[], canDeliver = false) => {
    let any = false;
    let now = false;
    let gone = false;
    if (scope && !scope.isConnected) {
      scope = null;
      scopeLost = true;
      any = true;
    }
    // A list being filled is one record per row, all with the same target (the list): its own
    // tests (ours? in the scope?) are made once per callback, not once per record, and the node
    // lists are read by index, not through an iterator (docs/performance.md).
    let lastTarget: Node | null = null;
    let lastOwn = false;
    /** Whether lastTarget is in the scope; null until asked. */
    let lastIn: boolean | null = null;
    for (let ri = 0; ri < records.length; ri++) {
      const r = records[ri]!;
      const target = r.target;
      if (r.type === 'childList') {
        if (target !== lastTarget) {
          lastTarget = target;
          lastOwn = ownNode(target);
          lastIn = null;
        }
        if (lastOwn) continue;
        const addedNodes = r.addedNodes;
        const removedNodes = r.removedNodes;
        const nAdded = addedNodes.length;
        const nRemoved = removedNodes.length;
        // One of our badges put into a page cell (a record per row drawn): nothing of the page's
        // changed, and the scope test below (a `contains` walk up the tree) is the record's cost.
        if (nAdded === 1 && nRemoved === 0 && ownNode(addedNodes[0]!)) continue;
        const targetIn = (lastIn ??= inScope(target));
        let relevant = false;
        for (let i = 0; i < nAdded; i++) {
          const n = addedNodes[i]!;
          if (n.nodeType === 1) {
            const el = n as Element;
            if (SKIP_TAGS.has(el.tagName) || ownNode(el)) continue;
            if (targetIn) {
              added.add(el);
              if (!now && opts.urgent && isUrgent(el)) now = true;
            } else if (outside.size < OUTSIDE_CAP) outside.add(el);
            relevant = true;
          } else if (n.nodeType === 3 && targetIn) relevant = true;
        }
        for (let i = 0; i < nRemoved; i++) {
          const n = removedNodes[i]!;
          if (n.nodeType === 1 && ownNode(n)) {
            // Not a change of the page's row: only a note that a badge may need putting back.
            ownRemoved.add(n as Element);
            any = true;
            continue;
          }
          if (n.nodeType === 1 && SKIP_TAGS.has((n as Element).tagName)) continue;
          if (n.nodeType === 1) gone = true;
          if (targetIn) {
            removed.add(n);
            relevant = true;
          }
        }
        if (relevant && targetIn && target.nodeType === 1) changed.add(target as Element);
        if (relevant) any = true;
      } else if (r.type === 'characterData') {
        const parent = target.parentElement;
        if (parent && inScope(parent) && !ownNode(parent)) {
          changed.add(parent);
          any = true;
        }
      } else if (r.type === 'attributes') {
        if (target.nodeType === 1 && !ownNode(target) && inScope(target)) {
          changed.add(target as Element);
          any = true;
        }
      }
    }
    if (gone && opts.removed) {
      try {
        opts.removed();
      } catch (e) {
        opts.onError?.(e);
      }
    }
    if (now && canDeliver) {
      if (timer !== null) clearT(timer);
      deliver();
    } else if (any && timer === null) timer = setT(deliver, delay);
  };

  const deliver = () => {
    timer = null;
    if (!added.size && !changed.size && !removed.size && !outside.size && !ownRemoved.size && !scopeLost) return;
    const batch: Batch = {
      added: [...added],
      changed: [...changed],
      removed: [...removed],
      outside: [...outside],
      ownRemoved: [...ownRemoved],
      scopeLost,
    };
    added = new Set();
    changed = new Set();
    removed = new Set();
    outside = new Set();
    ownRemoved = new Set();
    scopeLost = false;
    batches++;
    try {
      opts.onBatch(batch);
    } catch (e) {
      opts.onError?.(e);
    }
  };

  let root: Node | null = null;
  let quietDepth = 0;
  const options: MutationObserverInit = {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: opts.attributeFilter ?? ['href', 'title', 'data-posting-number'],
  };

  const mo = new MutationObserver((records) => {
    try {
      collect(records, true);
    } catch (e) {
      opts.onError?.(e);
    }
  });

  return {
    observe(r) {
      root = r;
      if (!quietDepth) mo.observe(r, options);
    },
    setScope(s) {
      scope = s;
    },
    get scope() {
      return scope;
    },
    flush() {
      collect(mo.takeRecords());
      if (timer !== null) clearT(timer);
      deliver();
    },
    quiet(fn) {
      if (quietDepth || !root) return fn();
      collect(mo.takeRecords());
      mo.disconnect();
      quietDepth = 1;
      try {
        return fn();
      } finally {
        quietDepth = 0;
        // Not if `fn` disconnected us for good (a destroy from inside).
        if (root) mo.observe(root, options);
      }
    },
    disconnect() {
      root = null;
      mo.disconnect();
      if (timer !== null) clearT(timer);
      timer = null;
    },
    get batches() {
      return batches;
    },
  };
}
