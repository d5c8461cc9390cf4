import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** Listens on a free loopback port and returns the base URL. */
export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends GET requests one after the other and returns the statuses. */
export async function statuses(url: string, headersList: Array<Record<string, string>>): Promise<number[]> {
  const out: number[] = [];
  for (const headers of headersList) {
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}
