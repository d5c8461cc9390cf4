import { randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import { AuthKeyExchange } from './auth-key-exchange';
import { defaultHandlers, defaultSelf } from './default-handlers';
import { BinaryReader } from 'telegram/extensions/BinaryReader';
import { DelayReply, ErrorReply, NoReply, isReply, rpcError } from './replies';
import { authKeyId, decryptFromClient, encryptForClient } from './server-crypto';
import { parseClientPlaintext, rpcResult, serializeResult, serverPlaintext, type ClientMessage } from './message-codec';
import { ServerLink } from './server-link';
import type { FakeAnswer, FakeDataCenterOptions, FakeHandler, FakeRequest, ReceivedRequest } from './types';

// Requests that only wrap the real one; the DC answers the inner query.
const WRAPPERS = new Set(['InvokeWithLayer', 'InitConnection', 'InvokeWithoutUpdates', 'InvokeAfterMsg',
  'InvokeAfterMsgs', 'InvokeWithTakeout', 'InvokeWithMessagesRange', 'InvokeWithApnsSecret', 'InvokeWithGooglePlayIntegrity']);
const PINGS = new Set(['Ping', 'PingDelayDisconnect']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * One fake Telegram data centre. It shares a pre-seeded auth key with the client (so no
 * Diffie-Hellman exchange is needed), decrypts real MTProto 2.0 packets, decodes requests with
 * GramJS's TL reader and answers with real TL objects: rpc_result, rpc_error, pong, updates.
 * Create it through {@link FakeTelegram.addDataCenter}.
 */
export class FakeDataCenter {
  readonly dcId: number;
  readonly ipAddress: string;
  readonly port: number;
  readonly authKey: Buffer;
  readonly self: Api.User;
  /** Every request received, in order (wrappers removed), for assertions. */
  readonly requests: ReceivedRequest[] = [];
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly onceHandlers = new Map<string, FakeHandler[]>();
  private readonly defaults: Map<string, FakeHandler>;
  private readonly calls = new Map<string, number>();
  private readonly links = new Set<ServerLink>();
  /** Every auth key the DC knows (one per authorization), by auth_key_id in hex. */
  private readonly keys = new Map<string, Buffer>();
  private readonly revoked = new Map<string, string>();
  private maxConcurrent = 0;
  private keysCreated = 0;
  private answeringPings = true;
  private reachable = true;
  private msgCounter = 0;
  private connectionsOpened = 0;

  /** @internal */
  constructor(opts: FakeDataCenterOptions, dcOptions: () => Array<{ id: number; ipAddress: string; port: number }>) {
    this.dcId = opts.dcId ?? 2;
    this.ipAddress = opts.ipAddress ?? '127.0.0.1';
    this.port = opts.port ?? 443;
    this.authKey = opts.authKey ?? randomBytes(256);
    if (this.authKey.length !== 256) throw new Error('a Telegram auth key is 256 bytes');
    this.keys.set(authKeyId(this.authKey).toString('hex'), this.authKey);
    this.self = opts.self ?? defaultSelf();
    this.defaults = defaultHandlers({ dcId: this.dcId, self: this.self, dcOptions });
  }

  /**
   * A GramJS StringSession for this DC with the pre-seeded auth key. Pass it to
   * `new StringSession(...)`. It is a real credential format: treat it as a secret in tests too.
   */
  sessionString(authKey: Buffer = this.authKey): string {
    const addr = Buffer.from(this.ipAddress);
    const len = Buffer.alloc(2);
    len.writeInt16BE(addr.length, 0);
    const port = Buffer.alloc(2);
    port.writeInt16BE(this.port, 0);
    return '1' + Buffer.concat([Buffer.from([this.dcId]), len, addr, port, authKey]).toString('base64');
  }

  /** Adds another authorization (a standby account's session) and returns its session string. */
  newSession(): string {
    const key = randomBytes(256);
    this.keys.set(authKeyId(key).toString('hex'), key);
    return this.sessionString(key);
  }

  /**
   * Revokes the authorization behind `session`: from now on every request made with it is
   * answered with `error` (AUTH_KEY_UNREGISTERED by default, or SESSION_REVOKED,
   * USER_DEACTIVATED_BAN, AUTH_KEY_DUPLICATED...).
   */
  revoke(session: string, error = 'AUTH_KEY_UNREGISTERED'): void {
    this.revoked.set(this.keyIdOf(session), error);
  }

  /**
   * Forgets the auth key of `session`, as Telegram does for a key it dropped: every packet under
   * it is answered with the transport error -404 (GramJS then reports UpdateConnectionState.broken
   * and its calls hang).
   */
  forgetAuthKey(session: string): void {
    this.keys.delete(this.keyIdOf(session));
  }

  /** How many connections used one authorization at the same time, at most (1 = never duplicated). */
  get maxConcurrentPerSession(): number {
    return this.maxConcurrent;
  }

  private keyIdOf(session: string): string {
    const raw = Buffer.from(session.slice(1), 'base64');
    return authKeyId(raw.subarray(raw.length - 256)).toString('hex');
  }

  /** Answers every call of `method` (a TL name such as `messages.SendMessage`) with `handler`. */
  on(method: string, handler: FakeHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  /** Answers the next call of `method` with `handler` (queued before `on` and the defaults). */
  once(method: string, handler: FakeHandler): this {
    const list = this.onceHandlers.get(method) ?? [];
    list.push(handler);
    this.onceHandlers.set(method, list);
    return this;
  }

  /** Removes the `on` handler of `method` (the default answer applies again). */
  off(method: string): this {
    this.handlers.delete(method);
    return this;
  }

  /** How many calls of `method` the DC received. */
  callCount(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  /** Connections clients opened to this DC so far (reconnects included). */
  get connections(): number {
    return this.connectionsOpened;
  }

  /** Sends an update (any `Api.Updates*` object) to every connected client. */
  pushUpdate(update: Api.TypeUpdates): void {
    for (const link of this.links) {
      if (link.sessionId) this.send(link, update.getBytes(), true);
    }
  }

  /** Closes every client connection, as a network drop or a DC restart would. */
  drop(): void {
    for (const link of [...this.links]) link.close();
  }

  /** Stops answering pings (keep-alive timeouts); requests are still answered. */
  stopAnsweringPings(): void {
    this.answeringPings = false;
  }

  /** Answers pings again. */
  resumeAnsweringPings(): void {
    this.answeringPings = true;
  }

  /** Refuses new connections (an unreachable DC) until called with `true`. */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
    if (!reachable) this.drop();
  }

  /** @internal Opens a server link for a client connection, or throws when unreachable. */
  attach(): ServerLink {
    if (!this.reachable) throw new Error(`fake DC ${this.dcId} is unreachable`);
    const link = new ServerLink(this.dcId, (l) => this.links.delete(l));
    this.links.add(link);
    this.connectionsOpened += 1;
    return link;
  }

  /** @internal One encrypted packet from a client. Bad packets are dropped, as a server would. */
  receive(link: ServerLink, packet: Buffer): void {
    if (packet.length >= 20 && packet.readBigUInt64LE(0) === 0n) {
      void this.receivePlain(link, packet);
      return;
    }
    const keyId = packet.subarray(0, 8).toString('hex');
    const key = this.keys.get(keyId);
    if (!key) {
      // Unknown auth key: Telegram answers with the 4-byte transport error -404.
      const err = Buffer.alloc(4);
      err.writeInt32LE(-404, 0);
      link.push(err);
      return;
    }
    let env;
    try {
      env = parseClientPlaintext(decryptFromClient(key, packet));
    } catch {
      return;
    }
    if (link.keyId === undefined) {
      link.keyId = keyId;
      link.authKey = key;
      let n = 0;
      for (const l of this.links) if (l.keyId === keyId) n += 1;
      this.maxConcurrent = Math.max(this.maxConcurrent, n);
    }
    link.salt = env.salt;
    if (!link.sessionId || !link.sessionId.equals(env.sessionId)) {
      link.sessionId = env.sessionId;
      const first = env.messages[0]?.msgId ?? Buffer.alloc(8);
      this.send(link, new Api.NewSessionCreated({
        firstMsgId: returnBigInt(first.readBigInt64LE(0).toString()),
        uniqueId: returnBigInt(randomBytes(8).readBigInt64LE(0).toString()),
        serverSalt: returnBigInt(env.salt.readBigInt64LE(0).toString()),
      }).getBytes(), false);
    }
    for (const m of env.messages) void this.handle(link, m);
  }

  /** Unencrypted messages: the auth key exchange of a client that has no key for this DC. */
  private async receivePlain(link: ServerLink, packet: Buffer): Promise<void> {
    try {
      const len = packet.readInt32LE(16);
      const request = new BinaryReader(packet.subarray(20, 20 + len)).tgReadObject() as { className?: string };
      link.exchange ??= new AuthKeyExchange();
      const body = await link.exchange.answer(request, (key) => {
        this.keys.set(authKeyId(key).toString('hex'), key);
        this.keysCreated += 1;
      });
      if (!body || link.closed) return;
      this.msgCounter += 1;
      const head = Buffer.alloc(20);
      head.writeBigInt64LE((BigInt(Math.floor(Date.now() / 1000)) << 32n) | BigInt((this.msgCounter * 4 + 1) >>> 0), 8);
      head.writeInt32LE(body.length, 16);
      link.push(Buffer.concat([head, body]));
    } catch {
      // a malformed exchange is dropped, as a server would
    }
  }

  /** Auth keys created on this DC by the key exchange (after migrations, for exported senders). */
  get authKeysCreated(): number {
    return this.keysCreated;
  }

  private async handle(link: ServerLink, msg: ClientMessage): Promise<void> {
    let obj = msg.obj as FakeRequest & { query?: FakeRequest; classType?: string; pingId?: unknown };
    if (obj.classType !== 'request') return; // msgs_ack and other service messages
    while (WRAPPERS.has(obj.className) && obj.query) obj = obj.query as typeof obj;
    const name = obj.className;
    this.requests.push({ className: name, dcId: this.dcId, at: Date.now() });
    const callNumber = (this.calls.get(name) ?? 0) + 1;
    this.calls.set(name, callNumber);
    if (PINGS.has(name)) {
      if (this.answeringPings) {
        this.send(link, new Api.Pong({
          msgId: returnBigInt(msg.msgId.readBigInt64LE(0).toString()), pingId: obj.pingId as Api.Pong['pingId'],
        }).getBytes(), false);
      }
      return;
    }
    const revokedWith = link.keyId !== undefined ? this.revoked.get(link.keyId) : undefined;
    const handler = this.onceHandlers.get(name)?.shift() ?? this.handlers.get(name) ?? this.defaults.get(name);
    let answer: FakeAnswer;
    try {
      if (revokedWith !== undefined) answer = rpcError(revokedWith);
      else answer = handler ? await handler(obj, { dcId: this.dcId, callNumber }) : rpcError('FAKE_DC_NOT_SCRIPTED', 400);
    } catch {
      answer = rpcError('FAKE_DC_HANDLER_FAILED', 500);
    }
    while (answer instanceof DelayReply) {
      await sleep(answer.ms);
      answer = answer.then;
    }
    if (answer instanceof NoReply || link.closed) return;
    const body = answer instanceof ErrorReply
      ? new Api.RpcError({ errorCode: answer.code, errorMessage: answer.message }).getBytes()
      : isReply(answer) ? undefined : serializeResult(answer);
    if (body) this.send(link, rpcResult(msg.msgId, body), true);
  }

  private send(link: ServerLink, body: Buffer, contentRelated: boolean): void {
    if (link.closed || !link.sessionId) return;
    // Server message ids: unix time in the high 32 bits, low bits = 1 mod 4 (a response).
    this.msgCounter += 1;
    const msgId = (BigInt(Math.floor(Date.now() / 1000)) << 32n) | BigInt((this.msgCounter * 4 + 1) >>> 0);
    const plain = serverPlaintext(link.salt, link.sessionId, msgId, link.nextSeq(contentRelated), body);
    link.push(encryptForClient(link.authKey ?? this.authKey, plain));
  }
}
