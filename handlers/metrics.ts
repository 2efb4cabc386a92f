// Publishing a handler's metrics, shared by every handler (its own module, so a handler that needs
// only this loads nothing else of handlers/shared.ts).
import type { Metrics } from "@aws-lambda-powertools/metrics";

/**
 * Publishes what the invocation stored, if anything: an invocation that failed before its first
 * metric would otherwise log Powertools' "No application metrics to publish" warning each time.
 */
export function publishMetrics(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
