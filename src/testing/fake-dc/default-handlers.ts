import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import type { FakeHandler } from './types';

/** What the default handlers need to know about the DC and its network. */
export interface DefaultHandlerContext {
  dcId: number;
  self: Api.User;
  /** Every DC of the network, for help.GetConfig's dc_options. */
  dcOptions(): Array<{ id: number; ipAddress: string; port: number }>;
}

const now = (): number => Math.floor(Date.now() / 1000);

/** The fake self user, id 1000001 (never a real account). */
export function defaultSelf(): Api.User {
  return new Api.User({
    id: returnBigInt(1000001), self: true, accessHash: returnBigInt(42),
    firstName: 'Fake', lastName: 'User', username: 'fake_dc_user',
  });
}

/**
 * Answers for what a TelegramClient sends on its own (connect, getMe, isUserAuthorized, the
 * 30-minute GetState) plus messages.SendMessage, so a test only scripts what it is about.
 */
export function defaultHandlers(ctx: DefaultHandlerContext): Map<string, FakeHandler> {
  let messageId = 0;
  let pts = 1;
  const handlers = new Map<string, FakeHandler>();
  handlers.set('help.GetConfig', () => new Api.Config({
    date: now(), expires: now() + 3600, testMode: false, thisDc: ctx.dcId,
    dcOptions: ctx.dcOptions().map((d) => new Api.DcOption({ id: d.id, ipAddress: d.ipAddress, port: d.port })),
    dcTxtDomainName: 'fake.invalid', chatSizeMax: 200, megagroupSizeMax: 200000, forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000, offlineBlurTimeoutMs: 5000, offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000, notifyCloudDelayMs: 30000, notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000, pushChatLimit: 2, editTimeLimit: 172800, revokeTimeLimit: 172800,
    revokePmTimeLimit: 172800, ratingEDecay: 2419200, stickersRecentLimit: 200, channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000, callRingTimeoutMs: 90000, callConnectTimeoutMs: 30000, callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/', captionLengthMax: 1024, messageLengthMax: 4096, webfileDcId: 4,
  }));
  handlers.set('help.GetNearestDc', () => new Api.NearestDc({ country: 'ZZ', thisDc: ctx.dcId, nearestDc: ctx.dcId }));
  handlers.set('updates.GetState', () => new Api.updates.State({ pts, qts: 0, date: now(), seq: 0, unreadCount: 0 }));
  handlers.set('users.GetUsers', () => [ctx.self]);
  handlers.set('users.GetFullUser', () => new Api.users.UserFull({
    fullUser: new Api.UserFull({
      id: ctx.self.id, settings: new Api.PeerSettings({}), notifySettings: new Api.PeerNotifySettings({}), commonChatsCount: 0,
    }),
    chats: [], users: [ctx.self],
  }));
  // What GramJS sends to use another DC (exported senders for probes, file DCs).
  handlers.set('auth.ExportAuthorization', () => new Api.auth.ExportedAuthorization({ id: returnBigInt(ctx.dcId), bytes: Buffer.alloc(32, ctx.dcId) }));
  handlers.set('auth.ImportAuthorization', () => new Api.auth.Authorization({ user: ctx.self }));
  // File uploads (client.uploadFile / sendFile): every part is accepted.
  handlers.set('upload.SaveFilePart', () => true);
  handlers.set('upload.SaveBigFilePart', () => true);
  handlers.set('messages.SendMessage', () => {
    messageId += 1;
    pts += 1;
    return new Api.UpdateShortSentMessage({ out: true, id: messageId, pts, ptsCount: 1, date: now() });
  });
  return handlers;
}
