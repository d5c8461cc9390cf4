/**
 * One client connection as the fake DC sees it: packets towards the client wait in a queue
 * until the client's receive loop asks for them, like bytes in a socket buffer.
 *
 * @internal
 */
export class ServerLink {
  /** Set from the first packet: the client's MTProto session id and salt. */
  sessionId: Buffer | undefined;
  salt: Buffer = Buffer.alloc(8);
  seq = 0;
  /** The authorization this connection uses (set from the first packet). */
  keyId: string | undefined;
  authKey: Buffer | undefined;
  /** State of an auth key exchange on this connection, if the client has no key. */
  exchange: import('./auth-key-exchange').AuthKeyExchange | undefined;
  closed = false;
  private readonly queue: Buffer[] = [];
  private waiter: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;

  constructor(readonly dcId: number, private readonly onClose: (link: ServerLink) => void) {}

  /** Queues a packet for the client. */
  push(packet: Buffer): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve(packet);
    } else {
      this.queue.push(packet);
    }
  }

  /** The client's receive: the next packet, or a rejection once the link is closed. */
  next(): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('connection closed by the fake DC'));
    const p = this.queue.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Closes the link from either side; a pending receive rejects like a reset socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(new Error('connection closed by the fake DC'));
    this.onClose(this);
  }

  /** The next server seq_no: odd for content-related messages, as MTProto requires. */
  nextSeq(contentRelated: boolean): number {
    if (!contentRelated) return this.seq * 2;
    const s = this.seq * 2 + 1;
    this.seq += 1;
    return s;
  }
}
