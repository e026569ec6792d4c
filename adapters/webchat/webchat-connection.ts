import type { WebSocket } from 'ws';
import type { TranscriptEntry } from '../../src/state/transcript.ts';
import { TokenBucket } from '../../src/shared/token-bucket.ts';
import type { ServerFrame } from './webchat-protocol.ts';

/** One browser tab's socket: its conversation, its client, its allowance of invalid frames, and what it has been sent. */
export class WebchatConnection {
  /** `webchat:<id>` once the tab has said hello. */
  key: string | null = null;
  conversationId: string | null = null;
  /** Frames it may still get wrong before it is closed. */
  readonly invalidFrames: TokenBucket;
  /** The first invalid frame is logged; the rest are counted, not logged. */
  toldInvalid = false;
  lastSeen: number;
  alive = true;
  private readonly maxBufferedBytes: number;
  /** Client frames are handled one after another, in the order they came. */
  inbox: Promise<void> = Promise.resolve();
  private lastSentSeq = 0;
  /** While the history is replayed, live entries wait here, so none is sent twice or out of order. */
  private held: TranscriptEntry[] | null = null;

  constructor(
    readonly socket: WebSocket,
    /** The client's address (the per-address limits key on it). */
    readonly address: string,
    /** This socket's place in the per-address gauge. */
    readonly holder: string,
    limits: { invalidFramesBurst: number; invalidFramesEverySeconds: number; maxBufferedBytes: number },
    private readonly onSlow: () => void,
    /** Called when an entry arrives past a gap (another process's entry is still on its way): the channel reads the transcript to fill it. */
    private readonly onGap: (connection: WebchatConnection) => void,
    clock: () => number = Date.now,
  ) {
    this.invalidFrames = new TokenBucket(limits.invalidFramesBurst, 1 / limits.invalidFramesEverySeconds, clock);
    this.maxBufferedBytes = limits.maxBufferedBytes;
    this.lastSeen = clock();
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A client that does not read (a phone in a tunnel) must not grow our memory: it is cut off and,
    // when it reconnects, resumes from its last sequence number, so it loses nothing.
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.onSlow();
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  /** Starts a replay: live entries are held until {@link endReplay}. */
  beginReplay(): void {
    this.held = [];
  }

  endReplay(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const entry of held) this.deliver(entry);
  }

  /** A live transcript entry: sent now, or after the replay in progress; past a gap, the gap is filled first. */
  deliver(entry: TranscriptEntry): void {
    if (this.held !== null) this.held.push(entry);
    else if (entry.seq > this.lastSentSeq + 1) this.onGap(this);
    else this.replay(entry);
  }

  /** The last sequence number this tab was sent (or said it had). */
  get sentUpTo(): number {
    return this.lastSentSeq;
  }

  /**
   * Sends a backlog (a resume after a long absence can be hundreds of messages) at the pace the
   * tab reads it: past half the output limit, each send waits until the previous data is written.
   */
  async replayAll(entries: readonly TranscriptEntry[]): Promise<void> {
    for (const entry of entries) {
      if (entry.seq <= this.lastSentSeq) continue;
      if (this.socket.readyState !== this.socket.OPEN) return;
      this.lastSentSeq = entry.seq;
      const frame = JSON.stringify({ type: 'message', entry } satisfies ServerFrame);
      if (this.socket.bufferedAmount < this.maxBufferedBytes / 2) this.socket.send(frame);
      else await new Promise<void>((resolve) => this.socket.send(frame, () => resolve()));
    }
  }

  /** Sends a transcript entry unless this tab has it already. */
  private replay(entry: TranscriptEntry): void {
    if (entry.seq <= this.lastSentSeq) return;
    this.lastSentSeq = entry.seq;
    this.send({ type: 'message', entry });
  }

  /** The tab already has everything up to `seq` (it said so in its hello). */
  hasUpTo(seq: number): void {
    this.lastSentSeq = Math.max(this.lastSentSeq, seq);
  }
}
