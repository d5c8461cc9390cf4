import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { classifyError } from '../../../src/errors/index';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

async function errorOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('classifyError with real PostgreSQL errors', () => {
  let client: Client;
  before(async () => {
    client = new Client(PG);
    try {
      await client.connect();
    } catch (err) {
      throw new Error(`PostgreSQL is needed on 127.0.0.1:5432 (db "test", user postgres, trust auth); start it with scripts/prepare-test-env.sh. ${String(err)}`);
    }
  });
  after(async () => {
    await client.end();
  });

  it('classifies a syntax error (42601) as database', async () => {
    assert.equal(classifyError(await errorOf(() => client.query('selec 1'))), 'database');
  });

  it('classifies a statement timeout (57014) as timeout', async () => {
    await client.query('set statement_timeout = 20');
    try {
      assert.equal(classifyError(await errorOf(() => client.query('select pg_sleep(1)'))), 'timeout');
    } finally {
      await client.query('set statement_timeout = 0');
    }
  });

  it('classifies an unknown role (28000) as auth', async () => {
    const c = new Client({ ...PG, user: `no_such_role_${process.pid}` });
    assert.equal(classifyError(await errorOf(() => c.connect())), 'auth');
  });

  it('classifies a refused connection (ECONNREFUSED) as network', async () => {
    const c = new Client({ ...PG, port: 1 });
    assert.equal(classifyError(await errorOf(() => c.connect())), 'network');
  });
});
