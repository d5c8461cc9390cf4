import type { Attributes } from '@opentelemetry/api';
import type { HotHistogramFamily, HotHistogramSeries } from '../../../src/metrics/hot-metrics';
import {
  ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT, DB_SYSTEM_NAME_VALUE_POSTGRESQL, METRIC_DB_CLIENT_OPERATION_DURATION, OPERATION_DURATION_BUCKETS,
} from '../semconv';
import { BaseCollector } from './base-collector';

/** The connection a query ran on: the attributes every series of one client shares. */
export interface ServerIdentity {
  namespace: string | undefined;
  address: string | undefined;
  port: number | undefined;
}

/**
 * Series handles for one server, keyed by operation name. The operation set is closed (the
 * cardinality guard in utils.ts), so this Map stays small; a query resolves its handle with one
 * Map.get instead of the SDK's sort + JSON.stringify of the attributes on every record.
 */
export class ServerSeries {
  private readonly ok = new Map<string, HotHistogramSeries>();
  private readonly failed = new Map<string, HotHistogramSeries>();
  constructor(private readonly family: HotHistogramFamily, private readonly server: ServerIdentity) {}

  /** The handle for successful queries of `operation` (undefined when the query had no text). */
  success(operation: string | undefined): HotHistogramSeries {
    const key = operation ?? '';
    let s = this.ok.get(key);
    if (s === undefined) {
      s = this.family.series(this.attributes(operation, undefined));
      this.ok.set(key, s);
    }
    return s;
  }

  /** The handle for failed queries; `errorType` comes from the closed set of errorTypeOf(). */
  failure(operation: string | undefined, errorType: string): HotHistogramSeries {
    const key = `${operation ?? ''}\u0000${errorType}`;
    let s = this.failed.get(key);
    if (s === undefined) {
      s = this.family.series(this.attributes(operation, errorType));
      this.failed.set(key, s);
    }
    return s;
  }

  private attributes(operation: string | undefined, errorType: string | undefined): Attributes {
    // The same keys instrumentation-pg copies into its metric attributes, and only those present.
    const a: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
    if (this.server.namespace !== undefined) a[ATTR_DB_NAMESPACE] = this.server.namespace;
    if (this.server.address !== undefined) a[ATTR_SERVER_ADDRESS] = this.server.address;
    if (this.server.port !== undefined) a[ATTR_SERVER_PORT] = this.server.port;
    if (operation !== undefined) a[ATTR_DB_OPERATION_NAME] = operation;
    if (errorType !== undefined) a[ATTR_ERROR_TYPE] = errorType;
    return a;
  }
}

/** `db.client.operation.duration` (s), same name, unit, buckets and attributes as instrumentation-pg. */
export class OperationCollector extends BaseCollector {
  private readonly family: HotHistogramFamily;
  private readonly servers = new Map<string, ServerSeries>();

  constructor() {
    super();
    this.family = this.registry.histogram(
      { name: METRIC_DB_CLIENT_OPERATION_DURATION, description: 'Duration of database client operations.', unit: 's' },
      OPERATION_DURATION_BUCKETS,
    );
  }

  /** The series table of one server; resolved once per client and kept on the client's state. */
  forServer(server: ServerIdentity): ServerSeries {
    const key = `${server.namespace ?? ''}\u0000${server.address ?? ''}\u0000${server.port ?? ''}`;
    let s = this.servers.get(key);
    if (s === undefined) {
      s = new ServerSeries(this.family, server);
      this.servers.set(key, s);
    }
    return s;
  }
}
