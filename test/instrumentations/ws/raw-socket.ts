import { connect as netConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

/** A TCP socket that did a WebSocket handshake by hand and now speaks raw frames (no auto-pong). */
export interface RawWs {
  socket: Socket;
  /** Every byte received after the handshake. */
  received(): Buffer;
}

/** Does the HTTP upgrade by hand on a plain TCP socket. */
export function rawHandshake(port: number): Promise<RawWs> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    let head = Buffer.alloc(0);
    let rest = Buffer.alloc(0);
    let upgraded = false;
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(
        'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        rest = Buffer.concat([rest, chunk]);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = head.subarray(0, end).toString();
      if (!status.startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${status.split('\r\n')[0]}`));
      upgraded = true;
      rest = head.subarray(end + 4);
      resolve({ socket, received: () => rest });
    });
  });
}

/** Builds one client frame: masked unless told otherwise, with any opcode and a declared length. */
export function frame(opcode: number, payload: Buffer, opts: { mask?: boolean; declaredLength?: number } = {}): Buffer {
  const mask = opts.mask ?? true;
  const len = opts.declaredLength ?? payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | len]);
  } else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = (mask ? 0x80 : 0) | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i % 4];
  return Buffer.concat([header, key, masked]);
}

/** The close code of the first server close frame in `buf` (unmasked), or undefined. */
export function closeCodeIn(buf: Buffer): number | undefined {
  let i = 0;
  while (i + 2 <= buf.length) {
    const opcode = buf[i] & 0x0f;
    let len = buf[i + 1] & 0x7f;
    let off = i + 2;
    if (len === 126) { len = buf.readUInt16BE(off); off += 2; } else if (len === 127) { len = Number(buf.readBigUInt64BE(off)); off += 8; }
    if (opcode === 0x8) return len >= 2 ? buf.readUInt16BE(off) : 1005;
    i = off + len;
  }
  return undefined;
}

/** True when `buf` holds a ping frame from the server. */
export function hasPing(buf: Buffer): boolean {
  return buf.length >= 2 && (buf[0] & 0x0f) === 0x9;
}
