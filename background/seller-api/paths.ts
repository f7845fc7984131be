/**
 * THE allowlist of what the extension may ask the Ozon Seller API: a handful
 * of read methods, on Ozon's two API hosts. background/seller-api/client.ts is the
 * only code that calls fetch for the API, and it refuses any origin or path
 * not listed here before a request is built (test/background/seller-api/client.test.ts
 * asserts this on every fetch the client makes). Nothing here can create,
 * change, ship or cancel anything: every path is a list or a summary.
 *
 * Shapes and limits: ../shared/real-samples/SOURCES.md §1 (paging, envelopes),
 * §6 (cancel-reason lists), §7 (rating summary); docs/architecture.md.
 */

/** Ozon's Seller API hosts: the main one and the China route. */
export const API_ORIGINS = ['https://api-seller.ozon.ru', 'https://api-seller.ozonru.cn'] as const;
export type ApiOrigin = (typeof API_ORIGINS)[number];

/** The host match patterns (manifest `optional_host_permissions`, `permissions.request`). */
export function hostPattern(origin: ApiOrigin): string {
  return `${origin}/*`;
}
export const API_HOST_PATTERNS: readonly string[] = API_ORIGINS.map(hostPattern);

export function isApiOrigin(x: unknown): x is ApiOrigin {
  return typeof x === 'string' && (API_ORIGINS as readonly string[]).includes(x);
}

/** Every path the extension may request. Read methods only. */
export const READ_PATHS = {
  /** FBS/rFBS postings, cursor paging (current). */
  fbsListV4: '/v4/posting/fbs/list',
  /** FBS/rFBS postings, offset paging (deprecated; used where v4 is refused). */
  fbsListV3: '/v3/posting/fbs/list',
  /** FBO postings, cursor paging (current). */
  fboListV3: '/v3/posting/fbo/list',
  /** FBO postings, offset paging (deprecated; used where v3 is refused). */
  fboListV2: '/v2/posting/fbo/list',
  /** Titles of the FBS cancellation reasons (fills reason texts the postings leave empty). */
  fbsCancelReasons: '/v2/posting/fbs/cancel-reason/list',
  /** Titles of the FBO cancellation reasons. */
  fboCancelReasons: '/v1/posting/fbo/cancel-reason/list',
  /** Ozon's own ratings, among them the cancellation rating: also the cheap "check the key" call. */
  ratingSummary: '/v1/rating/summary',
} as const;
export type ReadPath = (typeof READ_PATHS)[keyof typeof READ_PATHS];

export const ALLOWED_PATHS: ReadonlySet<string> = new Set(Object.values(READ_PATHS));

export function isAllowedPath(x: unknown): x is ReadPath {
  return typeof x === 'string' && ALLOWED_PATHS.has(x);
}

/**
 * Page sizes: Ozon's own maxima per method (SOURCES.md §1: v4 FBS and v3 FBO
 * `limit` 1..100; v3 FBS and v2 FBO ≤ 1000). Protocol limits, not business rules.
 */
export const PAGE_LIMIT: Record<'fbsListV4' | 'fbsListV3' | 'fboListV3' | 'fboListV2', number> = {
  fbsListV4: 100,
  fbsListV3: 1000,
  fboListV3: 100,
  fboListV2: 1000,
};

/** Offset paging stops here: Ozon answers MAX_OFFSET_EXCEEDED beyond it (docs/ozon-domain.md, paging limits). */
export const MAX_OFFSET = 20_000;
