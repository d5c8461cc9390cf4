import { AsyncLocalStorage } from 'node:async_hooks';
import { stat } from 'node:fs/promises';
import type { TelegramSendGuard } from './send-guard';

/** A client whose sends the guard can wrap (a GramJS TelegramClient). */
export interface GuardableClient {
  invoke(request: never, ...rest: never[]): Promise<unknown>;
  /** GramJS's sendFile (also what sendMessage with a `file` calls): wrapped to learn the file size. */
  sendFile?(entity: never, params: never): Promise<unknown>;
}

type GuardedRequest = {
  className?: string; peer?: unknown; toPeer?: unknown; users?: unknown[]; contacts?: unknown[]; multiMedia?: unknown[]; id?: unknown[];
};

const MESSAGE_METHODS = new Set(['messages.SendMessage', 'messages.ForwardMessages', 'messages.SendMedia', 'messages.SendMultiMedia']);
const MEDIA_METHODS = new Set(['messages.SendMedia', 'messages.SendMultiMedia']);
/** The spec's "channel invites per day": invites, adding a user to a chat, importing contacts. */
const INVITE_METHODS = new Set(['channels.InviteToChannel', 'messages.AddChatUser', 'contacts.ImportContacts']);

function peerKey(peer: unknown): string {
  if (peer !== null && typeof peer === 'object') {
    const p = peer as { userId?: unknown; chatId?: unknown; channelId?: unknown; className?: string };
    return String(p.userId ?? p.chatId ?? p.channelId ?? p.className ?? 'peer');
  }
  return String(peer);
}

/** Users an invite-like request adds: one per listed user or contact, else one. */
function inviteCount(request: GuardedRequest): number {
  if (Array.isArray(request.users)) return Math.max(1, request.users.length);
  if (Array.isArray(request.contacts)) return Math.max(1, request.contacts.length);
  return 1;
}

/**
 * Size in bytes of what GramJS's sendFile will upload: a Buffer, a CustomFile or File (`size`), a
 * path (stat), the largest file of an album; undefined when it cannot be known (a stream, a file
 * already on Telegram's servers).
 */
async function fileSize(file: unknown): Promise<number | undefined> {
  if (Array.isArray(file)) {
    let max: number | undefined;
    for (const f of file) {
      const n = await fileSize(f);
      if (n !== undefined) max = Math.max(max ?? 0, n);
    }
    return max;
  }
  if (Buffer.isBuffer(file)) return file.length;
  if (typeof file === 'string') {
    try {
      return (await stat(file)).size;
    } catch {
      return undefined; // a URL or a file id: nothing to upload from here
    }
  }
  if (file !== null && typeof file === 'object') {
    const size = (file as { size?: unknown }).size;
    if (typeof size === 'number') return size;
  }
  return undefined;
}

/**
 * Routes a client's sends through the guard: every messages.SendMessage / ForwardMessages /
 * SendMedia / SendMultiMedia (per chat and global; an album or a multi-message forward counts
 * as its messages), media sends also as uploads, and channels.InviteToChannel,
 * messages.AddChatUser and contacts.ImportContacts (one invite point per user). Works for
 * client.sendMessage/sendFile too, since they end in invoke; sendFile is also wrapped so that
 * the upload is checked against the 50 MB limit with the file's real size before it starts
 * (upload parts go through GramJS's sender, not invoke). Returns a function that removes the guard.
 */
export function guardClient(client: GuardableClient, guard: TelegramSendGuard): () => void {
  const target = client as unknown as {
    invoke: (request: GuardedRequest, ...rest: unknown[]) => Promise<unknown>;
    sendFile?: (entity: unknown, params: { file?: unknown }, ...rest: unknown[]) => Promise<unknown>;
  };
  // Set while a guarded sendFile runs: its upload was charged (with its size) there, so the
  // SendMedia / SendMultiMedia it ends in takes only the message points.
  const uploadCharged = new AsyncLocalStorage<true>();
  const originalInvoke = target.invoke;
  const invoke = function (this: unknown, request: GuardedRequest, ...rest: unknown[]): Promise<unknown> {
    const name = request?.className ?? '';
    const call = () => originalInvoke.call(this, request, ...rest);
    if (INVITE_METHODS.has(name)) return guard.run('invite', call, { count: inviteCount(request) });
    if (!MESSAGE_METHODS.has(name)) return call();
    const chat = peerKey(request.toPeer ?? request.peer);
    const items = Array.isArray(request.multiMedia) ? request.multiMedia.length : Array.isArray(request.id) ? request.id.length : 1;
    const count = Math.max(1, items);
    if (MEDIA_METHODS.has(name) && uploadCharged.getStore() === undefined) {
      return guard.run('upload', () => guard.run('message', call, { chat, count }), { count });
    }
    return guard.run('message', call, { chat, count });
  };
  target.invoke = invoke;
  const originalSendFile = target.sendFile;
  const sendFile = originalSendFile === undefined ? undefined : async function (this: unknown, entity: unknown, params: { file?: unknown }, ...rest: unknown[]): Promise<unknown> {
    const file = params?.file;
    const sizeBytes = await fileSize(file);
    const count = Array.isArray(file) ? Math.max(1, file.length) : 1;
    return guard.run('upload', () => uploadCharged.run(true, () => originalSendFile.call(this, entity, params, ...rest)), { sizeBytes, count });
  };
  if (sendFile !== undefined) target.sendFile = sendFile;
  return () => {
    if (target.invoke === invoke) target.invoke = originalInvoke;
    if (sendFile !== undefined && target.sendFile === sendFile) target.sendFile = originalSendFile;
  };
}
