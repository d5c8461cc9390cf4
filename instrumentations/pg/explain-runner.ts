import { performance } from 'node:perf_hooks';
import type { PgClientInternals, PgConnectionParameters } from './internal-types';
import { errorTypeOf, countPlaceholders } from './utils';

/** Marks a client whose queries the instrumentation must not measure (its own EXPLAIN connection). */
export const SKIP_INSTRUMENTATION = Symbol('pulseguard.pg.skip');

/** Where an EXPLAIN runs: a fresh client of the same class and connection as the slow query's. */
export interface ExplainTarget {
  ClientClass: new (config: Record<string, unknown>) => PgClientInternals;
  params: PgConnectionParameters;
}

/** A plan, or why there is none (a SQLSTATE / error code; never the statement or its values). */
export type ExplainOutcome = { plan: unknown } | { error: string };

const EXPLAIN_TIMEOUT_MS = 2000;
const PREPARED_NAME = 'pulseguard_explain';

/**
 * Runs `EXPLAIN (FORMAT JSON)` for slow read statements on a separate connection, at most
 * `perMinute` times a minute and one at a time.
 *
 * It explains the *normalised* statement (literals already replaced by `$n`) as a prepared
 * statement under `plan_cache_mode = force_generic_plan`, inside `BEGIN READ ONLY`: the plan is
 * the generic one, so no parameter value can appear in it, and nothing is executed (there is
 * never an EXPLAIN ANALYZE). PostgreSQL 16's `EXPLAIN (GENERIC_PLAN)` does the same in one step,
 * but 15 is what runs here.
 */
export class ExplainRunner {
  private tokens: number;
  private refilledAt: number;
  private running = false;

  constructor(private readonly perMinute: number, private readonly now: () => number = () => performance.now()) {
    this.tokens = perMinute;
    this.refilledAt = now();
  }

  /** Whether an EXPLAIN may start now (takes a token when it may). */
  tryAcquire(): boolean {
    if (this.running || this.perMinute <= 0) return false;
    const t = this.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((t - this.refilledAt) / 60_000) * this.perMinute);
    this.refilledAt = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Explains `statement`; call only after {@link tryAcquire} returned true. Never rejects. */
  async explain(statement: string, target: ExplainTarget): Promise<ExplainOutcome> {
    this.running = true;
    const { host, port, database, user, password, ssl } = target.params;
    const client = new target.ClientClass({
      host, port, database, user, password, ssl,
      connectionTimeoutMillis: EXPLAIN_TIMEOUT_MS, statement_timeout: EXPLAIN_TIMEOUT_MS, query_timeout: EXPLAIN_TIMEOUT_MS,
      application_name: 'pulseguard-explain',
    });
    (client as unknown as Record<symbol, unknown>)[SKIP_INSTRUMENTATION] = true;
    // A dying explain connection must not emit an unhandled 'error' in the host app.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('BEGIN READ ONLY');
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE ${PREPARED_NAME} AS ${statement}`);
      const n = countPlaceholders(statement);
      const args = n > 0 ? `(${new Array<string>(n).fill('NULL').join(', ')})` : '';
      const res = (await client.query(`EXPLAIN (FORMAT JSON) EXECUTE ${PREPARED_NAME}${args}`)) as { rows: Array<Record<string, unknown>> };
      return { plan: res.rows[0]?.['QUERY PLAN'] };
    } catch (err) {
      return { error: errorTypeOf(err) };
    } finally {
      this.running = false;
      client.end().catch(() => {});
    }
  }
}
