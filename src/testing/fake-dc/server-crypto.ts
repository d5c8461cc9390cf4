import { createHash, randomBytes } from 'node:crypto';
import { IGE } from 'telegram/crypto/IGE';

/**
 * The server half of MTProto 2.0 encryption (https://core.telegram.org/mtproto/description).
 * GramJS's MTProtoState only encrypts in the client direction (x = 0) and decrypts in the
 * server direction (x = 8); a server needs the opposite pair, so the fake DC does it here with
 * GramJS's own AES-IGE and the same key derivation.
 */

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** auth_key_id: the low 64 bits of SHA1(auth_key), as GramJS's AuthKey computes it. */
export function authKeyId(authKey: Buffer): Buffer {
  return createHash('sha1').update(authKey).digest().subarray(12, 20);
}

function calcKey(authKey: Buffer, msgKey: Buffer, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(x + 40, x + 76), msgKey);
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]),
    iv: Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]),
  };
}

/** Decrypts a client packet; returns the plaintext (salt, session, message) or throws. */
export function decryptFromClient(authKey: Buffer, packet: Buffer): Buffer {
  if (packet.length < 24 || !packet.subarray(0, 8).equals(authKeyId(authKey))) throw new Error('unknown auth key id');
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = calcKey(authKey, msgKey, 0);
  const plain = new IGE(key, iv).decryptIge(packet.subarray(24));
  const check = sha256(authKey.subarray(88, 120), plain).subarray(8, 24);
  if (!check.equals(msgKey)) throw new Error('msg_key mismatch');
  return plain;
}

/** Encrypts a server message (salt + session id + message) for the client. */
export function encryptForClient(authKey: Buffer, plain: Buffer): Buffer {
  // 12..1024 bytes of padding, total a multiple of 16 (MTProto 2.0).
  const padLen = ((16 - ((plain.length + 12) % 16)) % 16) + 12;
  const body = Buffer.concat([plain, randomBytes(padLen)]);
  const msgKey = sha256(authKey.subarray(96, 128), body).subarray(8, 24);
  const { key, iv } = calcKey(authKey, msgKey, 8);
  return Buffer.concat([authKeyId(authKey), msgKey, new IGE(key, iv).encryptIge(body)]);
}
