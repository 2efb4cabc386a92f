// CloudTrail LookupEvents adapter: the SDK paginator in, LookupPage values out, throttling
// (after the SDK's own retry strategy gave up) surfaced as LookupThrottledError for the poller.
import { CloudTrailClient, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import {
  type CloudTrailHistory,
  type LookupEntry,
  type LookupPage,
  type LookupQuery,
  LookupThrottledError,
} from "../capture/ports.ts";
import { classifyAwsError } from "../operations/errors.ts";

/** The clients cloudTrailHistory needs, for the entry point's registry (modules/aws/clients.ts). */
export const cloudTrailLookupClients = { cloudtrail: CloudTrailClient };

export function cloudTrailHistory(client: CloudTrailClient): CloudTrailHistory {
  return {
    async *pages(query: LookupQuery): AsyncGenerator<LookupPage> {
      const pages = paginateLookupEvents(
        {
          client,
          pageSize: query.pageSize,
          ...(query.startingToken ? { startingToken: query.startingToken } : {}),
        },
        {
          LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: query.eventSource }],
          StartTime: query.startTime,
          EndTime: query.endTime,
        },
      );
      try {
        for await (const page of pages) {
          const entries: LookupEntry[] = [];
          for (const event of page.Events ?? []) {
            if (!event.EventId || !event.EventName || !event.EventTime) continue;
            entries.push({
              eventId: event.EventId,
              eventName: event.EventName,
              eventTime: event.EventTime,
              ...(event.ReadOnly !== undefined ? { readOnly: event.ReadOnly } : {}),
              ...(event.CloudTrailEvent !== undefined ? { cloudTrailEvent: event.CloudTrailEvent } : {}),
            });
          }
          yield { entries, ...(page.NextToken ? { nextToken: page.NextToken } : {}) };
        }
      } catch (error) {
        const classified = classifyAwsError(error);
        if (classified.kind === "Throttled")
          throw new LookupThrottledError(`${classified.code}: ${classified.message}`);
        throw error;
      }
    },
  };
}
