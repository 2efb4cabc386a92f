// Scheduled Lambda: reads CloudTrail LookupEvents for Glue and Lake Formation and journals every
// successful write the EventBridge path may have missed. Wired once per cold start.
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { callerAccount, callerAccountClients } from "../modules/aws/caller-account.ts";
import type { AwsClients } from "../modules/aws/clients.ts";
import { cloudTrailHistory, cloudTrailLookupClients } from "../modules/aws/cloudtrail-lookup.ts";
import type { JournalStore } from "../modules/aws/journal-store.ts";
import { AwsWiring, sleep as realSleep } from "../modules/aws/wiring/base.ts";
import { journalClients, journalStore } from "../modules/aws/wiring/journal.ts";
import { type CaptureConfig, captureJournalLocation, parseCaptureEnv } from "../modules/capture/env.ts";
import { type PollSummary, pollCloudTrail } from "../modules/capture/poll.ts";
import type { CaptureLog } from "../modules/capture/ports.ts";
import { RateLimiterRegistry } from "../modules/capture/rate-limiter.ts";
import { publishMetrics } from "./metrics.ts";

/** AWS's LookupEvents limit per account and region. */
export const LOOKUP_REQUESTS_PER_SECOND = 2;

export interface PollHandlerDeps {
  config: CaptureConfig;
  clients: AwsClients;
  journal: JournalStore;
  logger: Logger;
  metrics: Metrics;
  limiters?: RateLimiterRegistry;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export function createPollHandler(deps: PollHandlerDeps) {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? realSleep;
  const limiters =
    deps.limiters ?? new RateLimiterRegistry(LOOKUP_REQUESTS_PER_SECOND, { now: Date.now, sleep });
  let account = deps.config.sourceAccount;
  const region = deps.config.sourceRegion;

  return async (_event?: unknown): Promise<PollSummary> => {
    account ??= await callerAccount(deps.clients, region);
    if (!account) throw new Error("cannot tell the source account: set LAKESYNC_SOURCE_ACCOUNT");
    const location = { account, region };
    try {
      const summary = await pollCloudTrail(
        {
          history: cloudTrailHistory(deps.clients.get("cloudtrail", location)),
          journal: deps.journal,
          checkpoints: deps.journal,
          limiter: limiters.for(account, region),
          sleep,
          log: captureLog(deps.logger),
        },
        {
          account,
          region,
          now: now(),
          lookbackMinutes: deps.config.lookbackMinutes,
          maxPages: deps.config.maxPages,
        },
      );
      const { lateEvents: _lateEvents, ...counts } = summary;
      deps.logger.info("poll finished", { ...counts });
      deps.metrics.addMetric("journaled", MetricUnit.Count, summary.journaled);
      deps.metrics.addMetric("duplicates", MetricUnit.Count, summary.duplicates);
      deps.metrics.addMetric("late", MetricUnit.Count, summary.late);
      deps.metrics.addMetric("invalid", MetricUnit.Count, summary.invalid);
      deps.metrics.addMetric("throttled", MetricUnit.Count, summary.throttled);
      deps.metrics.addMetric("lagSeconds", MetricUnit.Seconds, summary.maxLagSeconds);
      return summary;
    } finally {
      publishMetrics(deps.metrics);
    }
  };
}

/** Powertools' logger takes the extra keys as its second argument only when present. */
function captureLog(logger: Logger): CaptureLog {
  return {
    info: (message, extra) => logger.info(message, extra ?? {}),
    warn: (message, extra) => logger.warn(message, extra ?? {}),
    error: (message, extra) => logger.error(message, extra ?? {}),
  };
}

let wired: ReturnType<typeof createPollHandler> | undefined;

/** The Lambda entry point: configuration from the environment, read once per container. */
export const handler = async (event: unknown): Promise<PollSummary> => {
  if (!wired) {
    const config = parseCaptureEnv(process.env);
    const aws = new AwsWiring({ ...journalClients, ...cloudTrailLookupClients, ...callerAccountClients });
    wired = createPollHandler({
      config,
      clients: aws.clients,
      journal: journalStore(aws, captureJournalLocation(config)),
      logger: new Logger({ serviceName: "lakesync-capture" }),
      // Its own metrics service, so the dashboard tells the poller's journaled events from the
      // EventBridge path's (stacks/constructs/operations.ts).
      metrics: new Metrics({ namespace: "lakesync", serviceName: "lakesync-poller" }),
    });
  }
  return wired(event);
};
