import type { Logger } from '../../src/shared/logger.ts';
import { WindowedTextAdapter } from '../shared/windowed-adapter.ts';
import { GraphError, MAX_TEXT, type MessagingType, type MessengerSendApi } from './messenger-send-api.ts';
import type { MessengerWindow } from './messenger-window.ts';

/**
 * Messenger on the activity model: each message activity the bot (or an agent) sends becomes Send
 * API calls — text in pieces of at most 2,000 characters, the suggested actions as quick replies on
 * the last piece, RESPONSE/UPDATE inside the 24-hour window and HUMAN_AGENT for a person after it.
 */
export class FacebookAdapter extends WindowedTextAdapter<MessagingType> {
  protected readonly channelName = 'facebook';
  protected readonly platform = 'Messenger';
  protected readonly maxText = MAX_TEXT;

  constructor(
    private readonly sendApi: MessengerSendApi,
    window: MessengerWindow,
    log: Logger,
  ) {
    super(window, log);
  }

  protected sendPiece(
    psid: string,
    text: string,
    type: MessagingType,
    last: { suggestedActions: string[] } | null,
  ): Promise<string> {
    const quickReplies = (last?.suggestedActions ?? []).map((title) => ({ title, payload: title }));
    return this.sendApi.sendText(psid, text, type, quickReplies);
  }

  protected refusedForWindow(err: unknown): boolean {
    return err instanceof GraphError && err.windowClosed;
  }
}
