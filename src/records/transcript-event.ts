import type { TranscriptEntry } from '../state/transcript.ts';
import type { NewRecordEvent } from './record-events.ts';

/**
 * A transcript line as a record event, keyed by its conversation and number. The Redis transcript
 * builds the same event in its append script (see redis-transcript.ts); this is the in-memory one's.
 */
export function transcriptEvent(conversation: string, entry: TranscriptEntry): NewRecordEvent {
  return {
    kind: 'transcript',
    id: `${conversation}#${entry.seq}`,
    at: entry.at,
    conversation,
    seq: entry.seq,
    from: entry.from,
    text: entry.text,
    agent: entry.agent ?? null,
  };
}
