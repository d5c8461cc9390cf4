/**
 * Shapes of GramJS 2.26 internals the instrumentation touches (never exported). Kept minimal:
 * only the fields read or wrapped.
 */

/** A TL request object (`Api.messages.SendMessage`...). */
export interface TlRequest {
  className?: string;
  classType?: string;
  [key: symbol]: unknown;
}

/** network/RequestState.js */
export interface RequestStateLike {
  request: TlRequest;
  promise: Promise<unknown> | undefined;
}

/** network/connection/Connection.js */
export interface ConnectionLike {
  _connected?: boolean;
}

/** network/MTProtoSender.js */
export interface SenderLike {
  dcId: number;
  _dcId?: number;
  _userConnected?: boolean;
  isReconnecting?: boolean;
  userDisconnected?: boolean;
  _connection?: ConnectionLike;
  _isMainSender?: boolean | null;
  _client?: ClientLike;
  send(request: TlRequest): Promise<unknown>;
  addStateToQueue(state: RequestStateLike): void;
  reconnect(): void;
  _connect(): Promise<void>;
}

/** client/TelegramClient.js */
export interface ClientLike {
  _sender?: SenderLike;
  session?: { dcId?: number; save?(): unknown };
  floodSleepThreshold?: number;
  connected?: boolean;
  apiHash?: string;
  connect(): Promise<boolean>;
  disconnect(): Promise<void>;
  invoke(request: TlRequest): Promise<unknown>;
  _switchDC(newDc: number): Promise<unknown>;
  checkAuthorization(): Promise<boolean>;
  destroy(): Promise<void>;
  listEventHandlers(): unknown;
  removeEventHandler(callback: unknown, event?: unknown): unknown;
  [key: symbol]: unknown;
}

/** client/users.js */
export interface UsersModule {
  invoke(client: ClientLike, request: TlRequest, dcId?: number, otherSender?: SenderLike): Promise<unknown>;
}

/** errors/index.js */
export interface ErrorsModule {
  RPCMessageToError(rpcError: { errorCode: number; errorMessage: string }, request: TlRequest): unknown;
}

/** client/updates.js */
export interface UpdatesModule {
  _handleUpdate(client: ClientLike, update: unknown): void;
}

/** network/MTProtoSender.js */
export interface SenderModule {
  MTProtoSender: { prototype: SenderLike };
}

/** client/TelegramClient.js */
export interface ClientModule {
  TelegramClient: { prototype: ClientLike };
}
