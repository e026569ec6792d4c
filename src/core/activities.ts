import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Reply } from './reply.ts';

/*
 * The activity helpers every part uses (the bot, the channels, the handoff and dossier desks): a
 * leaf module, so that none of them needs to import the bot.
 */

/** `channel:conversation`: one conversation's state, whatever the channel calls its ids. */
export function conversationKey(activity: Activity): string {
  return conversationKeyOf(activity.channelId ?? 'unknown', activity.conversation?.id ?? 'unknown');
}

export function conversationKeyOf(channel: string, conversationId: string): string {
  return `${channel}:${conversationId}`;
}

/** The channel a conversation key was made for (`webchat:…` → `webchat`). */
export function channelOfKey(key: string): string {
  const colon = key.indexOf(':');
  return colon > 0 ? key.slice(0, colon) : 'unknown';
}

/** The citizen's text: typed, or the value of a tapped button. */
export function messageText(activity: Activity): string {
  if (typeof activity.text === 'string' && activity.text.length > 0) return activity.text;
  const value = activity.value as { text?: unknown } | string | undefined;
  if (typeof value === 'string') return value;
  if (value && typeof value.text === 'string') return value.text;
  return '';
}

/** A reply as a message activity; quick replies are `imBack` actions that send their title back. */
export function toActivity(reply: Reply): Activity {
  const activity = new Activity(ActivityTypes.Message);
  activity.text = reply.text;
  activity.locale = 'vi-VN';
  if (reply.suggestedActions.length > 0) {
    activity.suggestedActions = {
      to: [],
      actions: reply.suggestedActions.map((title) => ({ type: 'imBack', title, value: title })),
    } as unknown as Activity['suggestedActions'];
  }
  return activity;
}

/** Reads a bot activity back as a reply (text and quick-reply titles). */
export function fromActivity(activity: Activity): Reply {
  const actions = (activity.suggestedActions?.actions ?? []) as { title?: string }[];
  return { text: activity.text ?? '', suggestedActions: actions.map((a) => a.title ?? '').filter((t) => t.length > 0) };
}
