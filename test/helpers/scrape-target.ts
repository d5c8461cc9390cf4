import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake service's /metrics: `render(n)` is the exposition of the n-th scrape (1, 2, ...). */
export interface ScrapeTarget {
  /** `host:port`, as a Prometheus scrape config names it. */
  readonly address: string;
  /** The /metrics URL (any path answers). */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a deterministic exposition that grows with every scrape, on a free loopback port. */
export async function startScrapeTarget(render: (n: number) => string): Promise<ScrapeTarget> {
  let n = 0;
  const server: Server = createServer((_, res) => {
    n++;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(render(n));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    url: `http://${address}/metrics`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

/**
 * A service whose every scrape adds the same traffic, so every ratio is exact: per scrape 9 API
 * requests with status 200 (6 in (0, 50 ms], 3 in (50, 500 ms]) and one 500 in (50, 500 ms];
 * the event loop 25% active; 8 SELECTs (5 up to 100 ms, 2 up to 250 ms, 1 above), 3 of them slow;
 * heap 4 MB used of 8 MB.
 */
export function fleetExposition(n: number): string {
  return [
    '# TYPE target_info gauge', 'target_info{service_name="fleet",service_instance_id="i1"} 1',
    '# TYPE http_server_request_duration histogram',
    `http_server_request_duration_bucket{http_response_status_code="200",le="0.05"} ${6 * n}`,
    `http_server_request_duration_bucket{http_response_status_code="200",le="0.5"} ${9 * n}`,
    `http_server_request_duration_bucket{http_response_status_code="200",le="+Inf"} ${9 * n}`,
    `http_server_request_duration_sum{http_response_status_code="200"} ${1.08 * n}`,
    `http_server_request_duration_count{http_response_status_code="200"} ${9 * n}`,
    `http_server_request_duration_bucket{http_response_status_code="500",le="0.05"} 0`,
    `http_server_request_duration_bucket{http_response_status_code="500",le="0.5"} ${n}`,
    `http_server_request_duration_bucket{http_response_status_code="500",le="+Inf"} ${n}`,
    `http_server_request_duration_sum{http_response_status_code="500"} ${0.3 * n}`,
    `http_server_request_duration_count{http_response_status_code="500"} ${n}`,
    '# TYPE nodejs_eventloop_time_total counter',
    `nodejs_eventloop_time_total{nodejs_eventloop_state="active"} ${0.25 * n}`,
    `nodejs_eventloop_time_total{nodejs_eventloop_state="idle"} ${0.75 * n}`,
    '# TYPE db_client_operation_duration histogram',
    `db_client_operation_duration_bucket{db_operation_name="SELECT",le="0.1"} ${5 * n}`,
    `db_client_operation_duration_bucket{db_operation_name="SELECT",le="0.25"} ${7 * n}`,
    `db_client_operation_duration_bucket{db_operation_name="SELECT",le="+Inf"} ${8 * n}`,
    `db_client_operation_duration_sum{db_operation_name="SELECT"} ${1 * n}`,
    `db_client_operation_duration_count{db_operation_name="SELECT"} ${8 * n}`,
    '# TYPE v8js_memory_heap_used gauge',
    'v8js_memory_heap_used{v8js_heap_space_name="new_space"} 1048576',
    'v8js_memory_heap_used{v8js_heap_space_name="old_space"} 3145728',
    '# TYPE v8js_memory_heap_space_size gauge',
    'v8js_memory_heap_space_size{v8js_heap_space_name="new_space"} 2097152',
    'v8js_memory_heap_space_size{v8js_heap_space_name="old_space"} 6291456',
    '# TYPE db_client_slow_queries_total counter',
    `db_client_slow_queries_total{db_operation_name="SELECT"} ${3 * n}`,
    '',
  ].join('\n');
}

/** Error classes per scrape: network 2 every scrape (steady); timeout none for `quiet` scrapes, then 5 each (new and rising). */
export function errorClassesExposition(n: number, quiet: number): string {
  return [
    '# TYPE pulseguard_errors_tracked_total counter',
    `pulseguard_errors_tracked_total{error_class="network"} ${2 * n}`,
    `pulseguard_errors_tracked_total{error_class="timeout"} ${Math.max(0, n - quiet) * 5}`,
    'pulseguard_errors_tracked_total{error_class="auth"} 0',
    '',
  ].join('\n');
}
