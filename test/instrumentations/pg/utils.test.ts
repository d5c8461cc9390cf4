import { strict as assert } from 'node:assert';
import { extractOperationName, normalizeStatement, errorTypeOf, poolNameOf, countPlaceholders } from '../../../instrumentations/pg/utils';

describe('pg utils', () => {
  describe('#extractOperationName', () => {
    it('upper-cases the first keyword, as instrumentation-pg does', () => {
      assert.equal(extractOperationName('select 1'), 'SELECT');
      assert.equal(extractOperationName('  INSERT INTO t VALUES (1)'), 'INSERT');
      assert.equal(extractOperationName('COMMIT;'), 'COMMIT');
      assert.equal(extractOperationName('begin'), 'BEGIN');
    });

    it('skips leading comments and parentheses', () => {
      assert.equal(extractOperationName('/* app=x */ UPDATE t SET a = 1'), 'UPDATE');
      assert.equal(extractOperationName('-- note\n delete from t'), 'DELETE');
      assert.equal(extractOperationName('(SELECT 1) UNION (SELECT 2)'), 'SELECT');
    });

    it('collapses malformed and dynamic SQL to _OTHER (the cardinality guard)', () => {
      const names = new Set<string>();
      for (let i = 0; i < 500; i++) names.add(extractOperationName(`user_${i} garbage`));
      names.add(extractOperationName(''));
      names.add(extractOperationName('12345'));
      names.add(extractOperationName("'literal' first"));
      names.add(extractOperationName('/* never closed'));
      names.add(extractOperationName('SELECTXXXXXXXXXXXXXXXXXXXXXX'));
      assert.deepEqual([...names], ['_OTHER']);
    });
  });

  describe('#normalizeStatement', () => {
    it('replaces string, escape-string, dollar-quoted and numeric literals with placeholders', () => {
      assert.equal(
        normalizeStatement("SELECT * FROM users WHERE email = 'a@b.c' AND age > 42 AND score < 1.5e3 AND note = E'it\\'s' AND body = $tag$x 'y'$tag$"),
        'SELECT * FROM users WHERE email = $1 AND age > $2 AND score < $3 AND note = $4 AND body = $5',
      );
    });

    it('numbers new placeholders after the ones the statement already uses', () => {
      assert.equal(normalizeStatement('UPDATE t SET a = $1 WHERE b = 7 AND c = $2'), 'UPDATE t SET a = $1 WHERE b = $3 AND c = $2');
    });

    it('keeps identifiers (including digits and quoted ones), drops comments and collapses whitespace', () => {
      assert.equal(normalizeStatement('SELECT t1.col2, "Weird 9" FROM t1 -- trailing\n  /* block */ WHERE  x=1'),
        'SELECT t1.col2, "Weird 9" FROM t1 WHERE x=$1');
    });

    it('never lets a value through, even from an unterminated literal', () => {
      const out = normalizeStatement("SELECT 'secret-value");
      assert.equal(out, 'SELECT $1');
      assert.ok(!normalizeStatement("INSERT INTO t VALUES ('hunter2', 'x''y', 99)").match(/hunter2|99|x''y/));
    });

    it('truncates very long statements', () => {
      const long = `SELECT ${'a, '.repeat(5000)}b FROM t`;
      assert.ok(normalizeStatement(long).length <= 2049);
    });

    it('counts placeholders of the result', () => {
      assert.equal(countPlaceholders(normalizeStatement("SELECT 'a', 2, $1")), 3);
    });
  });

  describe('#errorTypeOf', () => {
    it('keeps SQLSTATE and network codes and collapses everything else to _OTHER', () => {
      assert.equal(errorTypeOf(Object.assign(new Error('x'), { code: '42P01' })), '42P01');
      assert.equal(errorTypeOf(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
      assert.equal(errorTypeOf(new Error('Query read timeout')), 'timeout');
      assert.equal(errorTypeOf(Object.assign(new Error('x'), { code: 'user 123 not found' })), '_OTHER');
      assert.equal(errorTypeOf('boom'), '_OTHER');
      assert.equal(errorTypeOf(undefined), '_OTHER');
    });
  });

  describe('#poolNameOf', () => {
    it('builds host:port/database like instrumentation-pg', () => {
      assert.equal(poolNameOf({ host: '127.0.0.1', port: 5432, database: 'test' }), '127.0.0.1:5432/test');
      assert.equal(poolNameOf({}), 'unknown_host:unknown_port/unknown_database');
    });

    it('names a pool made from a connection string from its host, port and database, never its credentials', () => {
      const name = poolNameOf({ connectionString: 'postgres://app:s3cr3t-pw@db.internal:6432/orders?sslmode=require' });
      assert.equal(name, 'db.internal:6432/orders');
      assert.ok(!name.includes('s3cr3t') && !name.includes('app@'));
      // The connection string wins over separate options, as in node-postgres.
      assert.equal(poolNameOf({ connectionString: 'postgresql://u:p@10.0.0.5/app', host: 'other', port: 1 }), '10.0.0.5:5432/app');
      // A socket directory given as ?host=.
      assert.equal(poolNameOf({ connectionString: 'postgresql:///app?host=/var/run/postgresql' }), '/var/run/postgresql:5432/app');
      // Not a URL: the separate options name it.
      assert.equal(poolNameOf({ connectionString: 'not a url', host: 'h', port: 5, database: 'd' }), 'h:5/d');
    });
  });
});
