import { isContentEvent, type StreamEvent } from '../../core/index.js';

/**
 * What a same-format stream forwarder keeps between upstream chunks: the frames to pass on, held until the first
 * content so that a stream failing before it can still fail over unseen, and the events the record needs (usage,
 * finish, warnings, errors) decoded beside them.
 */
export class HeldAnswerFrames {
  /** Frames in the client's format, waiting for the next flush. */
  frames = '';
  /** The decoder reported an error: nothing more is forwarded. */
  failed = false;
  private finished = false;
  private held: StreamEvent[] = [];
  private content = false;

  /**
   * The decoder gave its finish or an error: the translating path reads nothing an upstream sends after that (frames
   * after `[DONE]` or `message_stop`, well-formed or not), so nothing after it is forwarded either.
   */
  get ended(): boolean {
    return this.failed || this.finished;
  }

  /** Takes one upstream frame's decoded events; true when the frame itself goes on to the client. */
  accept(events: StreamEvent[]): boolean {
    this.take(events);
    return !this.failed;
  }

  /** Keeps what the record needs from decoded events and notes the commit point; block events are dropped. */
  take(events: StreamEvent[]): void {
    for (const event of events) {
      if (isContentEvent(event)) this.content = true;
      switch (event.type) {
        case 'error':
          this.failed = true;
          this.held.push(event);
          break;
        case 'finish':
          this.finished = true;
          this.held.push(event);
          break;
        case 'usage':
        case 'warning':
          this.held.push(event);
          break;
        default:
          break;
      }
    }
  }

  /** Notes content in a frame the caller recognised without decoding it: the commit point, as a content event would. */
  noteContent(): void {
    this.content = true;
  }

  /** What goes out after an upstream chunk: one `wire` event and the record's events, or nothing before the content. */
  flush(): StreamEvent[] {
    if (!this.content && !this.failed) return [];
    const out: StreamEvent[] = this.content && this.frames !== '' ? [{ type: 'wire', data: this.frames }] : [];
    this.frames = '';
    if (this.held.length > 0) {
      out.push(...this.held);
      this.held = [];
    }
    return out;
  }
}
