// Restore under throttling, for `npm run bench`: the same restore into a fresh account while local
// AWS holds the target's Glue and Lake Formation calls to a request-rate quota (a token bucket, as
// AWS enforces its quotas) below what the restore would send. The SDK's adaptive retry and the
// executor's bounded concurrency should then run at about the quota: `shareOfQuota` (calls
// answered without a throttle per second, over the quota) near 1 means throttling cost retries,
// not time lost sleeping.
import type { LocalCallCounts } from "../modules/local/call-counts.ts";
import { type FaultRule, LocalFaults } from "../modules/local/faults.ts";
import type { ExecutionSummary } from "../modules/operations/executor.ts";
import { totalCalls } from "./minimum-calls.ts";
import { cliPhase, type PhaseResult } from "./phases.ts";

export interface ThrottledRestore {
  /** The quota on the target's Glue and Lake Formation calls together (burst: one second's worth). */
  quotaPerSecond: number;
  seconds: number;
  unthrottledSeconds: number;
  /** Calls the unthrottled restore sent per second. */
  unthrottledCallsPerSecond: number;
  calls: number;
  /** Throttling errors local AWS answered, and what the executor reported (retries include the SDK's). */
  throttlesInjected: number;
  retries: number;
  throttledAfterRetries: number;
  failed: number;
  /** Glue and Lake Formation calls answered without a throttle, per second, over the quota. */
  shareOfQuota: number;
}

const SCOPE = "bench-throttled-restore";

/** Local AWS throttles an account's Glue and Lake Formation calls beyond this many per second. */
export const catalogQuota = (account: string, perSecond: number): FaultRule => ({
  kind: "throttle",
  service: ["glue", "lakeformation"],
  account,
  ratePerSecond: perSecond,
});
const round = (n: number) => Math.round(n * 100) / 100;
/** Glue and Lake Formation calls: every API family but "other" (STS, S3). */
const catalogCalls = (phase: PhaseResult) =>
  totalCalls(phase.callsByFamily) - (phase.callsByFamily.other ?? 0);

export async function throttledRestore(
  endpoint: string,
  counter: LocalCallCounts,
  unthrottled: PhaseResult,
  restoreArgs: (target: { account: string; region: string }) => string[],
  target: { account: string; region: string },
  quotaPerSecond: number,
): Promise<{ phase: PhaseResult; figures: ThrottledRestore }> {
  const faults = new LocalFaults(endpoint);
  await faults.set(SCOPE, [catalogQuota(target.account, quotaPerSecond)]);
  let phase: PhaseResult;
  let throttlesInjected: number;
  try {
    phase = await cliPhase(`restore, ${quotaPerSecond} calls/s quota`, restoreArgs(target), counter);
    throttlesInjected = (await faults.report(SCOPE))?.injected.throttle ?? 0;
  } finally {
    await faults.clear(SCOPE);
  }
  const output = JSON.parse(phase.stdout) as { targets: { summary?: ExecutionSummary }[] };
  const summary = output.targets[0]?.summary;
  const calls = catalogCalls(phase);
  return {
    phase,
    figures: {
      quotaPerSecond,
      seconds: round(phase.seconds),
      unthrottledSeconds: round(unthrottled.seconds),
      unthrottledCallsPerSecond: round(catalogCalls(unthrottled) / unthrottled.seconds),
      calls,
      throttlesInjected,
      retries: summary?.retries ?? 0,
      throttledAfterRetries: summary?.throttled ?? 0,
      failed: summary?.failed ?? 0,
      shareOfQuota: round((calls - throttlesInjected) / phase.seconds / quotaPerSecond),
    },
  };
}
