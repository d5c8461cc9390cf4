import { Connection } from 'telegram/network/connection/Connection';
import { FakeDataCenter } from './fake-data-center';
import type { ServerLink } from './server-link';
import type { FakeDataCenterOptions } from './types';

/** The constructor GramJS's `connection` client option expects. */
export type FakeConnectionClass = typeof Connection;

/**
 * A fake Telegram network: data centres by id, and the `Connection` class to hand to
 * `new TelegramClient(session, apiId, apiHash, { connection: telegram.Connection })`.
 * No socket is opened; packets go straight to the in-process DC.
 *
 * ```ts
 * const telegram = new FakeTelegram();
 * const dc = telegram.addDataCenter({ dcId: 2 });
 * const client = new TelegramClient(new StringSession(dc.sessionString()), 1, 'hash', {
 *   connection: telegram.Connection, connectionRetries: 1,
 * });
 * await client.connect();
 * ```
 */
export class FakeTelegram {
  /** The Connection subclass bound to this network (GramJS routes by the DC id it passes). */
  readonly Connection: FakeConnectionClass;
  private readonly dcs = new Map<number, FakeDataCenter>();

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below is bound to this network
    const network = this;
    class FakeConnection extends Connection {
      private link: ServerLink | undefined;
      override async connect(): Promise<void> {
        const dc = network.dcs.get(this._dcId);
        if (!dc) throw new Error(`fake DC ${this._dcId} does not exist`);
        this.link = dc.attach();
        this._connected = true;
      }
      override async disconnect(): Promise<void> {
        this._connected = false;
        this.link?.close();
      }
      override async send(data: Buffer): Promise<void> {
        const link = this.link;
        if (!this._connected || !link || link.closed) throw new Error('Not connected');
        const dc = network.dcs.get(link.dcId);
        // Delivery is asynchronous, like a socket write.
        setImmediate(() => dc?.receive(link, data));
      }
      override async recv(): Promise<Buffer> {
        const link = this.link;
        if (!this._connected || !link) throw new Error('Not connected');
        try {
          return await link.next();
        } catch (err) {
          this._connected = false;
          throw err;
        }
      }
      override toString(): string {
        return `fake-dc-${this._dcId}`;
      }
    }
    this.Connection = FakeConnection;
  }

  /** Adds a data centre (throws when the id is taken). */
  addDataCenter(opts: FakeDataCenterOptions = {}): FakeDataCenter {
    const dc = new FakeDataCenter(opts, () => [...this.dcs.values()].map((d) => ({ id: d.dcId, ipAddress: d.ipAddress, port: d.port })));
    if (this.dcs.has(dc.dcId)) throw new Error(`fake DC ${dc.dcId} already exists`);
    this.dcs.set(dc.dcId, dc);
    return dc;
  }

  /** The data centre with this id, if added. */
  dataCenter(dcId: number): FakeDataCenter | undefined {
    return this.dcs.get(dcId);
  }

  /** Closes every connection of every DC. */
  close(): void {
    for (const dc of this.dcs.values()) dc.drop();
  }
}
