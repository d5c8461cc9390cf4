import { constants, createDiffieHellman, createHash, generateKeyPairSync, getDiffieHellman, privateDecrypt, randomBytes, type KeyObject } from 'node:crypto';
import { Api } from 'telegram';
import { AuthKey } from 'telegram/crypto/AuthKey';
import { IGE } from 'telegram/crypto/IGE';
import { _serverKeys } from 'telegram/crypto/RSA';
import { BinaryReader } from 'telegram/extensions/BinaryReader';
import { generateKeyDataFromNonce, returnBigInt } from 'telegram/Helpers';

/**
 * The server side of MTProto's auth key exchange (https://core.telegram.org/mtproto/auth_key),
 * so a client without a pre-seeded key (after a DC migration, or an exported sender for another
 * DC) can still connect to a fake DC. Telegram's RSA private keys are not public, so the fake
 * network registers its own RSA key in GramJS's table of server keys (test processes only).
 *
 * @internal
 */

interface RsaKey {
  privateKey: KeyObject;
  fingerprint: string;
}

let rsa: RsaKey | undefined;

/** One RSA-2048 key per process (generating one takes ~100 ms), registered with GramJS. */
function serverRsaKey(): RsaKey {
  if (rsa) return rsa;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string };
  const n = BigInt('0x' + Buffer.from(jwk.n, 'base64url').toString('hex'));
  const fingerprint = createHash('sha1').update(Buffer.from(jwk.n, 'base64url')).digest().readBigInt64LE(12).toString();
  (_serverKeys as Map<string, unknown>).set(fingerprint, { n: returnBigInt(n.toString()), e: 65537 });
  rsa = { privateKey, fingerprint };
  return rsa;
}

// Two small primes: GramJS factorises pq with Pollard's rho.
const P = 1000003n;
const Q = 1000033n;
// Telegram sends pq as 8 big-endian bytes; GramJS reads it as signed, so the top bit must be clear.
const pqBytes = (): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(P * Q, 0);
  return b;
};
const stripZeros = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

type Big = ReturnType<typeof returnBigInt>;

/** Per-connection state of one exchange. @internal */
export class AuthKeyExchange {
  private nonce: Big | undefined;
  private serverNonce: Big | undefined;
  private newNonce: Big | undefined;
  private dh: ReturnType<typeof createDiffieHellman> | undefined;
  private aes: { key: Buffer; iv: Buffer } | undefined;

  /** Answers one plain (unencrypted) request; `onKey` receives the new auth key at the end. */
  async answer(request: { className?: string; [k: string]: unknown }, onKey: (key: Buffer) => void): Promise<Buffer | undefined> {
    switch (request.className) {
      case 'ReqPqMulti':
      case 'ReqPq': {
        this.nonce = request.nonce as Big;
        this.serverNonce = returnBigInt(randomBytes(16).readBigInt64LE(0).toString());
        return new Api.ResPQ({
          nonce: this.nonce, serverNonce: this.serverNonce, pq: pqBytes(),
          serverPublicKeyFingerprints: [returnBigInt(serverRsaKey().fingerprint)],
        }).getBytes();
      }
      case 'ReqDHParams': {
        const decrypted = privateDecrypt({ key: serverRsaKey().privateKey, padding: constants.RSA_NO_PADDING }, request.encryptedData as Buffer);
        const tempKey = xor(decrypted.subarray(0, 32), createHash('sha256').update(decrypted.subarray(32)).digest());
        const dataWithHash = new IGE(tempKey, Buffer.alloc(32)).decryptIge(decrypted.subarray(32));
        const data = Buffer.from(dataWithHash.subarray(0, 192)).reverse();
        const inner = new BinaryReader(data).tgReadObject() as { newNonce: Big };
        this.newNonce = inner.newNonce;
        const group = getDiffieHellman('modp14');
        this.dh = createDiffieHellman(group.getPrime(), Buffer.from([2]));
        const gA = this.dh.generateKeys();
        this.aes = await generateKeyDataFromNonce(this.serverNonce!, this.newNonce);
        const answer = new Api.ServerDHInnerData({
          nonce: this.nonce!, serverNonce: this.serverNonce!, g: 2, dhPrime: group.getPrime(), gA, serverTime: Math.floor(Date.now() / 1000),
        }).getBytes();
        const hashed = Buffer.concat([createHash('sha1').update(answer).digest(), answer]);
        const padded = Buffer.concat([hashed, randomBytes((16 - (hashed.length % 16)) % 16)]);
        return new Api.ServerDHParamsOk({
          nonce: this.nonce!, serverNonce: this.serverNonce!, encryptedAnswer: new IGE(this.aes.key, this.aes.iv).encryptIge(padded),
        }).getBytes();
      }
      case 'SetClientDHParams': {
        const plain = new IGE(this.aes!.key, this.aes!.iv).decryptIge(request.encryptedData as Buffer);
        const reader = new BinaryReader(plain);
        reader.read(20);
        const inner = reader.tgReadObject() as { gB: Buffer };
        const key = stripZeros(this.dh!.computeSecret(inner.gB));
        const authKey = new AuthKey();
        await authKey.setKey(key);
        onKey(key);
        return new Api.DhGenOk({
          nonce: this.nonce!, serverNonce: this.serverNonce!, newNonceHash1: await authKey.calcNewNonceHash(this.newNonce!, 1),
        }).getBytes();
      }
      default:
        return undefined;
    }
  }
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}
