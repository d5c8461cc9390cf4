import type { HotCounterFamily, HotSum } from '../../../src/metrics/hot-metrics';
import { ATTR_DB_OPERATION_NAME, DB_OPERATION_NAME_VALUE_TRANSACTION, METRIC_DB_CLIENT_SLOW_QUERIES } from '../semconv';
import { BaseCollector } from './base-collector';

/** Operations pre-created at 0 so rate()/increase() rules have a series before the first slow query. */
const PRECREATED = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', DB_OPERATION_NAME_VALUE_TRANSACTION];

/** `db.client.slow_queries{db.operation.name}`: queries and transactions over their threshold. */
export class SlowQueryCollector extends BaseCollector {
  private readonly family: HotCounterFamily;
  private readonly byOperation = new Map<string, HotSum>();

  constructor() {
    super();
    this.family = this.registry.counter({
      name: METRIC_DB_CLIENT_SLOW_QUERIES,
      description: 'Database queries and transactions slower than the configured threshold.',
      unit: '{query}',
    });
    for (const op of PRECREATED) this.handle(op);
  }

  /** Counts one slow query (or transaction) of an operation from the closed operation set. */
  add(operation: string): void {
    this.handle(operation).add(1);
  }

  /** Current count for an operation. */
  value(operation: string): number {
    return this.handle(operation).value;
  }

  private handle(operation: string): HotSum {
    let s = this.byOperation.get(operation);
    if (s === undefined) {
      s = this.family.series({ [ATTR_DB_OPERATION_NAME]: operation });
      this.byOperation.set(operation, s);
    }
    return s;
  }
}
