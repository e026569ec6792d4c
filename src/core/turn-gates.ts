import type { Activity } from '@microsoft/agents-activity';
import type { ParsedMessage } from '../nlu/message-parser.ts';
import type { ConversationState } from './conversation-state.ts';
import type { TurnOutcome } from './dialogue.ts';
import type { Reply } from './reply.ts';

/*
 * The seams the bot offers around its turn: the handoff to people and the dossier lookups implement
 * them (src/handoff/, src/dossier/); the composition root hands them to the bot. The bot imports
 * none of their implementations.
 */

/** People behind the bot: before the bot, a conversation people have is theirs; after it, a request for a person is served. */
export interface PeopleGate {
  /** Replies instead of the bot's, or null to let the bot answer. */
  beforeBot(
    conversation: string,
    parsed: ParsedMessage,
    state: ConversationState,
    activity: Activity,
  ): Promise<Reply[] | null>;
  /** The replies to send after the bot's turn (the bot's own, or a handoff's). */
  afterBot(
    conversation: string,
    activity: Activity,
    outcome: TurnOutcome,
    parsed: ParsedMessage,
    before: ConversationState,
  ): Promise<Reply[]>;
}

/** Dossier lookups: a dossier code, the last 4 digits of a phone, following a dossier. */
export interface DossierGate {
  /** Replies about a dossier, or null to let the bot answer. */
  beforeBot(
    conversation: string,
    parsed: ParsedMessage,
    activity: Activity,
    state: ConversationState,
  ): Promise<Reply[] | null>;
}
