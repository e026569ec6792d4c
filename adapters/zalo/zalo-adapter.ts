import type { Logger } from '../../src/shared/logger.ts';
import { WindowedTextAdapter } from '../shared/windowed-adapter.ts';
import { MAX_BUTTONS, MAX_TEXT, ZaloError, type ZaloButton, type ZaloOpenApi } from './zalo-openapi.ts';
import type { ZaloWindow } from './zalo-window.ts';

/**
 * Zalo on the activity model: each message activity becomes consultation messages — text in pieces
 * of at most 2,000 characters, the suggested actions as hidden-query buttons (at most 5) on the last
 * piece — sent only inside the interaction window (48 hours for the bot, 7 days for a person).
 */
export class ZaloAdapter extends WindowedTextAdapter<true> {
  protected readonly channelName = 'zalo';
  protected readonly platform = 'Zalo';
  protected readonly maxText = MAX_TEXT;

  constructor(
    private readonly api: ZaloOpenApi,
    window: ZaloWindow,
    log: Logger,
  ) {
    super(window, log);
  }

  protected sendPiece(
    userId: string,
    text: string,
    _permit: true,
    last: { text: string; suggestedActions: string[] } | null,
  ): Promise<string> {
    return this.api.sendText(userId, text, last === null ? [] : buttonsFor(last.text, last.suggestedActions));
  }

  protected refusedForWindow(err: unknown): boolean {
    return err instanceof ZaloError && err.windowClosed;
  }
}

/** A web address or a hotline in the text, as buttons that open it. */
const ADDRESS = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/;
const HOTLINE = /(?<![\d.])(?:1[89]00(?:[ .]?\d){4,6}|0\d{2,3}(?:[ .]?\d){6,8})(?!\d)/;

/**
 * Zalo buttons for a reply (5 at most): its quick replies as hidden queries (a tap sends the title
 * back), and buttons that open the source link and call the hotline the reply gives, which keep their
 * places when there are many quick replies — an elderly citizen taps rather than copies.
 */
export function buttonsFor(text: string, quickReplies: readonly string[]): ZaloButton[] {
  const opens: ZaloButton[] = [];
  const address = ADDRESS.exec(text)?.[0];
  if (address !== undefined) opens.push({ title: 'Xem chi tiết', type: 'oa.open.url', payload: { url: address } });
  const hotline = HOTLINE.exec(text)?.[0];
  if (hotline !== undefined)
    opens.push({ title: 'Gọi tổng đài', type: 'oa.open.phone', payload: { phone_code: hotline.replace(/\D/g, '') } });
  const queries: ZaloButton[] = quickReplies
    .slice(0, MAX_BUTTONS - opens.length)
    .map((title) => ({ title, type: 'oa.query.hide', payload: title }));
  return [...queries, ...opens];
}
