import { inflateSync } from 'node:zlib';
import { BinaryReader } from 'telegram/extensions/BinaryReader';
import type { FakeResult } from './types';

const CONTAINER = 0x73f1f8dc;
const GZIP_PACKED = 0x3072cfa1;
const VECTOR = 0x1cb5c415;
const BOOL_TRUE = 0x997275b5;
const BOOL_FALSE = 0xbc799737;
const RPC_RESULT = 0xf35c6d01;

/** One message the client sent, with its TL object decoded by GramJS's own reader. */
export interface ClientMessage {
  /** msg_id as the 8 raw bytes (echoed in rpc_result and pong). */
  msgId: Buffer;
  seqNo: number;
  /** The decoded TL object (a request, msgs_ack, ...). */
  obj: { className?: string; classType?: string; [k: string]: unknown };
}

/** The envelope of a decrypted client packet. */
export interface ClientEnvelope {
  salt: Buffer;
  sessionId: Buffer;
  messages: ClientMessage[];
}

function readTl(body: Buffer): ClientMessage['obj'] {
  return new BinaryReader(body).tgReadObject() as ClientMessage['obj'];
}

function unpack(msgId: Buffer, seqNo: number, body: Buffer, out: ClientMessage[]): void {
  const ctor = body.readUInt32LE(0);
  if (ctor === CONTAINER) {
    const count = body.readInt32LE(4);
    let off = 8;
    for (let i = 0; i < count; i++) {
      const innerId = body.subarray(off, off + 8);
      const innerSeq = body.readInt32LE(off + 8);
      const len = body.readInt32LE(off + 12);
      unpack(Buffer.from(innerId), innerSeq, body.subarray(off + 16, off + 16 + len), out);
      off += 16 + len;
    }
    return;
  }
  if (ctor === GZIP_PACKED) {
    const reader = new BinaryReader(body.subarray(4));
    unpack(msgId, seqNo, inflateSync(reader.tgReadBytes()), out);
    return;
  }
  out.push({ msgId, seqNo, obj: readTl(body) });
}

/** Parses decrypted plaintext: salt, session id, then one message (maybe a container or gzip). */
export function parseClientPlaintext(plain: Buffer): ClientEnvelope {
  const salt = Buffer.from(plain.subarray(0, 8));
  const sessionId = Buffer.from(plain.subarray(8, 16));
  const msgId = Buffer.from(plain.subarray(16, 24));
  const seqNo = plain.readInt32LE(24);
  const len = plain.readInt32LE(28);
  const messages: ClientMessage[] = [];
  unpack(msgId, seqNo, plain.subarray(32, 32 + len), messages);
  return { salt, sessionId, messages };
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

/** Serialises a handler's result as the TL bytes the request's readResult expects. */
export function serializeResult(result: FakeResult): Buffer {
  if (typeof result === 'boolean') return int32(result ? BOOL_TRUE : BOOL_FALSE);
  if (Array.isArray(result)) {
    return Buffer.concat([int32(VECTOR), int32(result.length), ...result.map((r) => r.getBytes())]);
  }
  return result.getBytes();
}

/** rpc_result#f35c6d01 req_msg_id:long result:Object. */
export function rpcResult(reqMsgId: Buffer, body: Buffer): Buffer {
  return Buffer.concat([int32(RPC_RESULT), reqMsgId, body]);
}

/** Builds a server message in the plaintext envelope (salt, session id, msg id, seq, length). */
export function serverPlaintext(salt: Buffer, sessionId: Buffer, msgId: bigint, seqNo: number, body: Buffer): Buffer {
  const head = Buffer.alloc(32);
  salt.copy(head, 0);
  sessionId.copy(head, 8);
  head.writeBigInt64LE(msgId, 16);
  head.writeInt32LE(seqNo, 24);
  head.writeInt32LE(body.length, 28);
  return Buffer.concat([head, body]);
}
