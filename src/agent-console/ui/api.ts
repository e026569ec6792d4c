/**
 * The HTTP API under /agent/api: same-origin, the session cookie, the CSRF token on every POST and
 * DELETE. Answers to a previous session's requests are dropped (STALE).
 */

import type { ErrorBody } from '../console-wire.ts';
import { isObject } from './format.ts';
import { showAlert } from './page.ts';
import type { ConsoleState } from './state.ts';

type Method = 'GET' | 'POST' | 'DELETE';
type ApiError = Partial<ErrorBody['error']>;

export interface ApiResult<T> {
  ok: boolean;
  /** The HTTP status; 0 when the server could not be reached, STALE when the session changed meanwhile. */
  status: number;
  data: T | null;
  error: ApiError | null;
  retryAfter: string | null;
}

export type Api = <T>(method: Method, path: string, body?: unknown, expireOn401?: boolean) => Promise<ApiResult<T>>;

const STALE = -1;
export const OFFLINE = 'Không kết nối được máy chủ. Xin kiểm tra mạng và thử lại.';

/** The API for this page; `onExpired` runs when a request of a logged-in officer is refused with 401. */
export function createApi(state: ConsoleState, onExpired: () => void): Api {
  return async function api<T>(
    method: Method,
    path: string,
    body?: unknown,
    expireOn401 = true,
  ): Promise<ApiResult<T>> {
    const gen = state.sessionGen;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.session !== null) headers['X-CSRF-Token'] = state.session.csrf;
    let res: Response;
    let payload: unknown;
    try {
      res = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      payload = await readJson(res);
    } catch {
      return { ok: false, status: gen === state.sessionGen ? 0 : STALE, data: null, error: null, retryAfter: null };
    }
    if (gen !== state.sessionGen) return { ok: false, status: STALE, data: null, error: null, retryAfter: null };
    if (res.status === 401 && expireOn401 && state.session !== null) onExpired();
    const error = !res.ok && isObject(payload) && isObject(payload.error) ? (payload.error as ApiError) : null;
    if (error !== null && error.claimedBy === undefined && isObject(payload) && typeof payload.claimedBy === 'string') {
      error.claimedBy = payload.claimedBy;
    }
    return {
      ok: res.ok,
      status: res.status,
      data: res.ok ? (payload as T | null) : null,
      error,
      retryAfter: res.headers.get('Retry-After'),
    };
  };
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function conversationPath(key: string): string {
  return `/agent/api/conversations/${encodeURIComponent(key)}`;
}

/** Shows what went wrong, unless the answer already led elsewhere (401: the login form) or no longer matters. */
export function failed(r: ApiResult<unknown>, what: string): void {
  if (r.status === 401 || r.status === STALE) return;
  if (r.status === 0) return showAlert(`${what} ${OFFLINE}`);
  if (r.status === 403) return showAlert(`${what} Anh/chị không có quyền thực hiện thao tác này.`);
  const detail =
    typeof r.error?.message === 'string' && r.error.message !== '' ? ` (${r.error.message})` : ` (mã lỗi ${r.status})`;
  showAlert(`${what}${detail}`);
}
