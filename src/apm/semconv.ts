/**
 * Names of the APM helper's metrics and attributes. These are app-level metrics:
 * they describe the application's own transactions, operations and dependencies.
 */

/** Duration of an application transaction (histogram, s). */
export const METRIC_APP_TRANSACTION_DURATION = 'app.transaction.duration' as const;
/** Duration of a measured operation (histogram, s). */
export const METRIC_APP_OPERATION_DURATION = 'app.operation.duration' as const;
/** Duration of a call to a dependency (histogram, s). */
export const METRIC_APP_DEPENDENCY_DURATION = 'app.dependency.duration' as const;
/** Calls to a dependency (counter). */
export const METRIC_APP_DEPENDENCY_CALLS = 'app.dependency.calls' as const;

/** The transaction name (bounded: see `maxNames`). */
export const ATTR_TRANSACTION_NAME = 'transaction.name' as const;
/** The operation name (bounded: see `maxNames`). */
export const ATTR_OPERATION_NAME = 'operation.name' as const;
/**
 * The remote service called. Copied in: `peer.service` is experimental (and deprecated upstream in
 * favour of `server.service.name`) in @opentelemetry/semantic-conventions 1.45.
 */
export const ATTR_PEER_SERVICE = 'peer.service' as const;
/** How the transaction, operation or call ended. */
export const ATTR_OUTCOME = 'outcome' as const;

/** Ended normally. */
export const OUTCOME_VALUE_SUCCESS = 'success' as const;
/** Ended with an error. */
export const OUTCOME_VALUE_FAILURE = 'failure' as const;
/** Abandoned before completion. */
export const OUTCOME_VALUE_CANCELLED = 'cancelled' as const;

/** Every outcome value; anything else is recorded as `failure`. */
export const OUTCOMES = [OUTCOME_VALUE_SUCCESS, OUTCOME_VALUE_FAILURE, OUTCOME_VALUE_CANCELLED] as const;

/** The name every transaction/operation/service beyond the cap is folded into. */
export const OTHER_NAME = '_other' as const;

/** Bucket advice for the duration histograms, in seconds (OTel's HTTP duration advice). */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
