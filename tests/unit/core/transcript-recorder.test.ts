import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/assistant.ts';
import { DUPLICATE_DELIVERY } from '../../../src/core/transcript-recorder.ts';
import { testAssistant } from '../../helpers/assistant.ts';

const delivery = (id: string, text: string) =>
  Activity.fromObject({
    type: ActivityTypes.Message,
    id,
    channelId: 'facebook',
    conversation: { id: 'psid-1' },
    from: { id: 'psid-1', role: 'user' },
    recipient: { id: 'page', role: 'bot' },
    text,
  });

describe('TranscriptRecorder on any channel adapter', () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await testAssistant();
  });
  afterAll(async () => {
    await assistant.close();
  });

  it('records the message and the replies, and drops a redelivery of the same message id before the bot sees it', async () => {
    const first = await assistant.adapter.process(delivery('mid.1', 'giờ làm việc của trung tâm'), assistant.bot);
    const again = await assistant.adapter.process(delivery('mid.1', 'giờ làm việc của trung tâm'), assistant.bot);
    expect(first.activities.length).toBeGreaterThan(0);
    expect(again.activities).toEqual([]);
    expect(again.turnState.get(DUPLICATE_DELIVERY)).toBe(true);
    const entries = await assistant.transcript.read('facebook:psid-1', 0);
    expect(entries.map((e) => e.from)).toEqual(['citizen', ...first.activities.map(() => 'bot')]);
    expect(entries[0]).toMatchObject({ seq: 1, text: 'giờ làm việc của trung tâm', messageId: 'mid.1' });
    expect(entries.slice(1).map((e) => e.text)).toEqual(first.activities.map((a) => a.text));
  });

  it('welcomes a new member with the top tasks, recorded like any reply', async () => {
    const update = Activity.fromObject({
      type: ActivityTypes.ConversationUpdate,
      channelId: 'zalo',
      conversation: { id: 'user-9' },
      from: { id: 'user-9', role: 'user' },
      recipient: { id: 'oa', role: 'bot' },
      membersAdded: [{ id: 'user-9', role: 'user' }],
    });
    const { activities } = await assistant.adapter.process(update, assistant.bot);
    expect(activities).toHaveLength(1);
    expect(activities[0]!.text).toMatch(/^Dạ/);
    const entries = await assistant.transcript.read('zalo:user-9', 0);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.suggestedActions).toContain('Gặp cán bộ');
  });
});
