import type { Api } from 'telegram';

/** A TL request as the fake DC decoded it (a real GramJS `Api.*` request object). */
export interface FakeRequest {
  /** TL name, e.g. `messages.SendMessage` (wrappers such as InvokeWithLayer are unwrapped). */
  readonly className: string;
  /** Any other field of the decoded request. */
  readonly [field: string]: unknown;
}

/** What a scripted handler may answer: a TL object, a vector, a Bool, or a reply helper. */
export type FakeResult = { getBytes(): Buffer } | Array<{ getBytes(): Buffer }> | boolean;

/** A reply made with {@link rpcError}, {@link delay} or {@link noReply}. */
export interface FakeReply {
  readonly kind: 'error' | 'delay' | 'none';
}

/** What a handler returns (or resolves to). */
export type FakeAnswer = FakeResult | FakeReply;

/** Context a handler gets beside the request. */
export interface FakeCallContext {
  /** The DC answering. */
  readonly dcId: number;
  /** 1 for the first time this DC saw this method, and so on. */
  readonly callNumber: number;
}

/** A scripted answer for one TL method. */
export type FakeHandler = (request: FakeRequest, ctx: FakeCallContext) => FakeAnswer | Promise<FakeAnswer>;

/** A request the DC received, for assertions. */
export interface ReceivedRequest {
  readonly className: string;
  readonly dcId: number;
  readonly at: number;
}

/** Options of one fake data centre. */
export interface FakeDataCenterOptions {
  /** DC id (1-5 are the production ids). @default 2 */
  dcId?: number;
  /** Address written into the session string. @default "127.0.0.1" */
  ipAddress?: string;
  /** Port written into the session string (nothing listens on it). @default 443 */
  port?: number;
  /** The 256-byte auth key the server shares with the client; random when unset. */
  authKey?: Buffer;
  /** The user returned by users.GetUsers([InputUserSelf]) and GetFullUser. */
  self?: Api.User;
}
