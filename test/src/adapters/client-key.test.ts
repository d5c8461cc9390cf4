import { strict as assert } from 'node:assert';
import { TrustedProxies, clientAddress } from '../../../src/adapters/client-key';

describe('clientAddress', () => {
  const none = new TrustedProxies([]);
  const proxies = new TrustedProxies(['10.0.0.0/8', '192.168.1.10', 'loopback']);

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    assert.equal(clientAddress('198.51.100.7', '1.2.3.4', none), '198.51.100.7');
    assert.equal(clientAddress('198.51.100.7', '1.2.3.4', proxies), '198.51.100.7');
  });

  it('takes the address the trusted proxy appended, not what the client wrote before it', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; our proxy appended the real peer 203.0.113.9.
    assert.equal(clientAddress('10.1.2.3', '6.6.6.6, 203.0.113.9', proxies), '203.0.113.9');
    assert.equal(clientAddress('10.1.2.3', '203.0.113.9', proxies), '203.0.113.9');
  });

  it('skips every trusted hop from the right', () => {
    assert.equal(clientAddress('::ffff:192.168.1.10', '203.0.113.9, 10.9.9.9', proxies), '203.0.113.9');
    assert.equal(clientAddress('127.0.0.1', ['203.0.113.9', '10.0.0.2'], proxies), '203.0.113.9');
  });

  it('stops at junk left of a trusted hop and keeps the last good address', () => {
    assert.equal(clientAddress('10.1.2.3', 'not-an-ip, 10.0.0.5', proxies), '10.0.0.5');
    assert.equal(clientAddress('10.1.2.3', 'garbage', proxies), '10.1.2.3');
  });

  it('rejects an invalid trusted-proxy entry at construction', () => {
    assert.throws(() => new TrustedProxies(['10.0.0.0/33']), /invalid prefix length/);
    assert.throws(() => new TrustedProxies(['proxy.local']), /not an IP address/);
  });
});
