// `lakesync events list|show`: the event journal as an operator sees it (state, attempts and
// reason per target), on local AWS or a real account. `openJournal` is shared with `replicate`.
import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { isLocalEndpoint } from "../../aws/clients.ts";
import { createJournalTable, type JournalStore, journalTableExists } from "../../aws/journal-store.ts";
import { AwsWiring } from "../../aws/wiring/base.ts";
import { journalStore } from "../../aws/wiring/journal.ts";
import type { JournalEvent } from "../../journal/event-item.ts";
import { EVENT_STATUSES, type EventStatus } from "../../journal/target-state.ts";
import { configOptionHelp, loadCliConfig } from "../config-file.ts";
import { CliError } from "../exit-codes.ts";
import { writeJson, writeLines } from "../render.ts";

export const DEFAULT_JOURNAL_TABLE = "lakesync-events";

export interface JournalLocation {
  region: string;
  account?: string;
  roleArn?: string;
}

/**
 * The journal table at `location`. A missing table is created on local AWS (a fresh catalog to
 * play with) and is an error naming it on AWS, where the stack owns it.
 */
export async function openJournal(
  aws: AwsWiring,
  location: JournalLocation,
  tableName: string,
  options: { create: boolean },
): Promise<JournalStore> {
  const dynamo = aws.clients.get("dynamodb", location);
  if (!(await journalTableExists(dynamo, tableName))) {
    if (!options.create || !isLocalEndpoint()) {
      throw new CliError(
        `journal table ${tableName} does not exist in ${location.account ?? "this account"}/${location.region}` +
          (isLocalEndpoint() ? "" : " (deploy lakesync, or pass --journal-table)"),
      );
    }
    await createJournalTable(dynamo, tableName);
  }
  return journalStore(aws, { ...location, tableName });
}

interface JournalOptions {
  config?: string;
  journalTable?: string;
  region?: string;
  account?: string;
  json?: boolean;
}

async function journalFrom(options: JournalOptions, aws: AwsWiring): Promise<JournalStore> {
  const config = (await loadCliConfig(options.config))?.config;
  const region = options.region ?? config?.source.region ?? process.env.AWS_REGION;
  if (!region) throw new CliError("no region: pass --region (or set AWS_REGION, or --config)");
  const account = options.account ?? config?.source.account;
  const tableName = options.journalTable ?? config?.realtime.journalTable ?? DEFAULT_JOURNAL_TABLE;
  return openJournal(
    aws,
    {
      region,
      ...(account ? { account } : {}),
      ...(config?.source.roleArn ? { roleArn: config.source.roleArn } : {}),
    },
    tableName,
    { create: false },
  );
}

function withJournalOptions(command: Command): Command {
  return command
    .option("--config <file>", configOptionHelp("journal table, source account and region"))
    .option("--journal-table <name>", `journal table (default: the config's, else ${DEFAULT_JOURNAL_TABLE})`)
    .option(
      "--region <region>",
      "region of the journal (default: the config's source region, else AWS_REGION)",
    )
    .option("--account <account>", "account of the journal (default: the caller's; needed on local AWS)")
    .option("--json", "print JSON (one object per line)");
}

function targetSummary(event: JournalEvent): string {
  const targets = Object.entries(event.targets).sort(([a], [b]) => a.localeCompare(b));
  if (targets.length === 0) return "(no target yet)";
  return targets
    .map(([name, t]) => `${name}=${t.state}/${t.attempts}${t.reason ? ` (${t.reason})` : ""}`)
    .join(" ");
}

function eventLine(event: JournalEvent): string {
  return `${event.eventTime} ${event.eventName} ${event.eventId} ${event.status}: ${targetSummary(event)}`;
}

export function registerEvents(program: Command): void {
  const events = program.command("events").description("inspect the realtime event journal");

  withJournalOptions(
    events
      .command("list")
      .description("journaled events, newest first, with each target's state, attempts and reason")
      .option("--state <state>", `only events whose status is one of: ${EVENT_STATUSES.join(", ")}`)
      .option("--limit <n>", "at most this many events", "50"),
  ).action(async (options: JournalOptions & { state?: string; limit: string }) => {
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new CliError(`--limit expects a positive integer, got ${options.limit}`);
    if (options.state && !(EVENT_STATUSES as readonly string[]).includes(options.state)) {
      throw new CliError(`--state expects one of ${EVENT_STATUSES.join(", ")}, got ${options.state}`);
    }
    const aws = new AwsWiring(allClients);
    try {
      const journal = await journalFrom(options, aws);
      const listed = await journal.listEvents({
        limit,
        ...(options.state ? { state: options.state as EventStatus } : {}),
      });
      for (const event of listed) {
        if (options.json) writeJson(event);
        else writeLines(eventLine(event));
      }
    } finally {
      aws.destroy();
    }
  });

  withJournalOptions(
    events
      .command("show")
      .description("one journaled event: its targets' states and its CloudTrail record")
      .argument("<eventId>", "the CloudTrail eventID"),
  ).action(async (eventId: string, options: JournalOptions) => {
    const aws = new AwsWiring(allClients);
    try {
      const journal = await journalFrom(options, aws);
      const event = await journal.getEvent(eventId);
      if (!event) throw new CliError(`no event ${eventId} in journal ${journal.tableName}`);
      const record = event.record ? (JSON.parse(event.record) as unknown) : undefined;
      if (options.json) {
        writeJson({ ...event, record });
        return;
      }
      const lines = [
        `${event.eventName} ${event.eventId}`,
        `  time:     ${event.eventTime} (source ${event.sourceAccount}/${event.sourceRegion})`,
        `  captured: ${event.capturedAt} by ${event.capturedBy}${event.tracked ? "" : " (not a replicated event)"}`,
        `  status:   ${event.status}`,
        ...Object.entries(event.targets).flatMap(([name, t]) => [
          `  target ${name}: ${t.state}, ${t.attempts} attempt(s), ${t.updatedAt}`,
          ...(t.reason ? [`    ${t.reason}`] : []),
        ]),
        `  record:   ${event.recordS3 ?? JSON.stringify(record)}`,
      ];
      writeLines(lines);
    } finally {
      aws.destroy();
    }
  });
}
