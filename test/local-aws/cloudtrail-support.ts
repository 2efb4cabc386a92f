// Helpers shared by the local CloudTrail tests (scripts/localaws/cloudtrail).
import { type Event, type LookupEventsCommandInput, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { expect } from "vitest";
import { allClients } from "../../modules/aws/all-clients.ts";
import { AwsClients, type AwsLocation } from "../../modules/aws/clients.ts";
import { client } from "../support/local-aws.ts";

/**
 * LookupEvents allows 2 requests/s per account and region; these clients ride it out with the
 * SDK's own retry strategy, as production callers must.
 */
const patientClients = new AwsClients(allClients, { maxAttempts: 10 });

export function cloudtrail(location: AwsLocation) {
  return patientClients.get("cloudtrail", location);
}

/** Every event the lookup matches, newest first, through the SDK paginator. */
export async function lookupAll(
  location: AwsLocation,
  input: Omit<LookupEventsCommandInput, "NextToken"> = {},
): Promise<Event[]> {
  const events: Event[] = [];
  for await (const page of paginateLookupEvents({ client: cloudtrail(location) }, input)) {
    events.push(...(page.Events ?? []));
  }
  return events;
}

export type CloudTrailRecord = Record<string, unknown> & {
  eventID: string;
  eventName: string;
  requestParameters: unknown;
  responseElements: unknown;
};

export function recordOf(event: Event): CloudTrailRecord {
  if (!event.CloudTrailEvent) throw new Error(`event ${event.EventId} has no CloudTrailEvent`);
  return JSON.parse(event.CloudTrailEvent) as CloudTrailRecord;
}

/** The access key the test clients use in this location (minted by AssumeRole on local AWS). */
export async function accessKeyOf(location: AwsLocation): Promise<string> {
  const credentials = client("glue", location).config.credentials;
  return (await credentials()).accessKeyId;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** userIdentity of the test clients: the conventional local role, session "lakesync". */
export function assumedRoleIdentity(account: string, accessKeyId: string) {
  return {
    type: "AssumedRole",
    principalId: expect.stringMatching(/^AROA[A-Z0-9]+:lakesync$/),
    arn: `arn:aws:sts::${account}:assumed-role/lakesync-local/lakesync`,
    accountId: account,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: expect.stringMatching(/^AROA[A-Z0-9]+$/),
        arn: `arn:aws:iam::${account}:role/lakesync-local`,
        accountId: account,
        userName: "lakesync-local",
      },
      attributes: { creationDate: expect.stringMatching(EVENT_TIME), mfaAuthenticated: "false" },
    },
  };
}
