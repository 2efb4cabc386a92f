// `lakesync replicate --once` and `lakesync events list|show` through runCli: the printed lines,
// the exit codes, a >100 KB CreateTable that CloudTrail records with omitted parameters (re-read
// from the source, then applied) and a poison journal item that fails the run.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand } from "@aws-sdk/client-glue";
import { beforeAll, describe, expect, it } from "vitest";
import { JournalStore } from "../../modules/aws/journal-store.ts";
import { newJournalEvent } from "../../modules/journal/event-item.ts";
import type { CloudTrailRecord } from "../../modules/replication/cloudtrail-record.ts";
import { client } from "../support/local-aws.ts";
import { cli, glue, type Lake, newLake } from "./support.ts";

const wideColumns = Array.from({ length: 1500 }, (_, i) => ({
  Name: `column_${i}`,
  Type: "string",
  Comment: `a comment long enough to make the table input large, column ${i}`,
}));

describe("lakesync replicate --once / events", () => {
  let lake: Lake;
  let first: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    lake = await newLake();
    const g = glue(lake.source);
    await g.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "wide" } }));
    await g.send(
      new CreateTableCommand({
        DatabaseName: "wide",
        TableInput: {
          Name: "t",
          StorageDescriptor: { Columns: wideColumns, Location: "s3://lake-src/wide/t/" },
        },
      }),
    );
    first = await cli(["replicate", "--once", "--config", lake.configFile]);
  });

  it("prints one line per event and target and exits 0 when every event settled", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const pattern =
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (CreateDatabase|CreateTable) \S+ -> (west|backup): applied$/;
    expect(first.lines).toHaveLength(4);
    for (const line of first.lines) expect(line).toMatch(pattern);
  });

  it("a CreateTable whose parameters CloudTrail omitted (>100 KB) is re-read from the source and applied", async () => {
    const journal = new JournalStore(client("dynamodb", lake.source), { tableName: lake.journalTable });
    const [create] = (await journal.listEvents({ limit: 10 })).filter((e) => e.eventName === "CreateTable");
    const stored = await journal.getEvent(create!.eventId);
    expect(JSON.parse(stored?.record ?? "{}").requestParameters).toMatchObject({ omitted: true });
    for (const [target, bucket] of [
      [lake.west, "lake-west"],
      [lake.backup, "lake-backup"],
    ] as const) {
      const { Table } = await glue(target).send(new GetTableCommand({ DatabaseName: "wide", Name: "t" }));
      expect(Table?.StorageDescriptor?.Columns).toHaveLength(wideColumns.length);
      expect(Table?.StorageDescriptor?.Columns?.[1499]).toEqual(wideColumns[1499]);
      expect(Table?.StorageDescriptor?.Location).toBe(`s3://${bucket}/wide/t/`);
    }
  });

  it("exits 1 and reports the event when one fails after --max-attempts", async () => {
    const journal = new JournalStore(client("dynamodb", lake.source), { tableName: lake.journalTable });
    const [database] = (await journal.listEvents({ limit: 10 })).filter(
      (e) => e.eventName === "CreateDatabase",
    );
    const record = JSON.parse(
      (await journal.getEvent(database!.eventId))?.record ?? "{}",
    ) as CloudTrailRecord;
    const poison = { ...record, eventID: randomUUID(), requestParameters: { databaseInput: { name: 7 } } };
    await journal.putEvent(
      newJournalEvent(poison, { capturedBy: "poller", capturedAt: new Date(), tracked: true }),
    );

    const run = await cli(["replicate", "--once", "--config", lake.configFile, "--max-attempts", "2"]);
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(2);
    for (const target of ["west", "backup"]) {
      expect(run.lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`CreateDatabase ${poison.eventID} -> ${target}: failed \\(.*TranslateError`),
        ),
      );
      expect(run.stderr).toContain(
        `event ${poison.eventID} (CreateDatabase) failed on ${target} after 2 attempt(s)`,
      );
    }

    const journalFlags = [
      "--journal-table",
      lake.journalTable,
      "--region",
      lake.source.region,
      "--account",
      lake.source.account,
    ];
    const failed = await cli(["events", "list", "--state", "failed", "--json", ...journalFlags]);
    expect(failed.code).toBe(0);
    expect(failed.lines.map((l) => JSON.parse(l).eventId)).toEqual([poison.eventID]);
    const all = await cli(["events", "list", ...journalFlags]);
    expect(all.lines).toHaveLength(3);
    expect(all.lines).toContainEqual(
      expect.stringMatching(/CreateTable \S+ applied: backup=applied\/1 west=applied\/1$/),
    );

    const show = await cli(["events", "show", poison.eventID, ...journalFlags]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("status:   failed");
    expect(show.stdout).toMatch(/target west: failed, 2 attempt\(s\)/);
    const json = JSON.parse(
      (await cli(["events", "show", poison.eventID, "--json", ...journalFlags])).stdout,
    );
    expect(json.targets.backup).toMatchObject({ state: "failed", attempts: 2 });
    expect(json.record.eventID).toBe(poison.eventID);
  });

  it("events: an unknown event or a missing journal table is an error naming it", async () => {
    const flags = ["--region", lake.source.region, "--account", lake.source.account];
    const unknown = await cli([
      "events",
      "show",
      "no-such-event",
      "--journal-table",
      lake.journalTable,
      ...flags,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no event no-such-event");
    const missing = await cli(["events", "list", "--journal-table", "no-such-table", ...flags]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("journal table no-such-table does not exist");
  });

  it("creates a missing journal table on local AWS and starts from --since", async () => {
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const run = await cli([
      "replicate",
      "--once",
      "--config",
      lake.configFile,
      "--journal-table",
      "fresh",
      "--since",
      since,
    ]);
    expect(run.code).toBe(0);
    // Replayed into catalogs that already have them: creates fall back to updates.
    expect(run.lines.map((l) => l.replace(/^\S+ (\S+) \S+ -> (\S+): (\S+).*$/, "$1 $2 $3")).sort()).toEqual([
      "CreateDatabase backup applied",
      "CreateDatabase west applied",
      "CreateTable backup applied",
      "CreateTable west applied",
    ]);
    const fresh = new JournalStore(client("dynamodb", lake.source), { tableName: "fresh" });
    const checkpoint = await fresh.getCheckpoint({ ...lake.source, eventSource: "glue.amazonaws.com" });
    expect(checkpoint && checkpoint.eventTime > since).toBe(true);
  });

  it("--retry-failed gives events that failed for good one more attempt once the cause is fixed", async () => {
    const journalTable = "retry-journal";
    const args = ["replicate", "--once", "--config", lake.configFile, "--journal-table", journalTable];
    expect((await cli(args)).code).toBe(0);
    // A CreateTable whose database exists in no target: it fails there for good.
    const journal = new JournalStore(client("dynamodb", lake.source), { tableName: journalTable });
    const [create] = (await journal.listEvents({ limit: 50 })).filter((e) => e.eventName === "CreateTable");
    const record = JSON.parse((await journal.getEvent(create!.eventId))?.record ?? "{}") as CloudTrailRecord;
    const orphan = {
      ...record,
      eventID: randomUUID(),
      requestParameters: { databaseName: "orphan_db", tableInput: { name: "t" } },
    };
    await journal.putEvent(
      newJournalEvent(orphan, { capturedBy: "poller", capturedAt: new Date(), tracked: true }),
    );
    const failing = await cli([...args, "--max-attempts", "1"]);
    expect(failing.code).toBe(1);
    expect(
      failing.lines.filter((l) => l.includes(`${orphan.eventID} -> `) && l.includes(": failed")),
    ).toHaveLength(2);

    // Without --retry-failed nothing is attempted again.
    const again = await cli([...args, "--max-attempts", "1"]);
    expect(again.lines.some((l) => l.includes(orphan.eventID))).toBe(false);

    for (const target of [lake.west, lake.backup]) {
      await glue(target).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "orphan_db" } }));
    }
    const retried = await cli([...args, "--max-attempts", "1", "--retry-failed"]);
    expect(retried.stderr).toContain("2 failed event target(s) queued for one more attempt");
    expect(retried.code).toBe(0);
    expect(
      retried.lines.filter((l) => l.includes(`${orphan.eventID} -> `) && l.endsWith(": applied")),
    ).toHaveLength(2);
    for (const target of [lake.west, lake.backup]) {
      const { Table } = await glue(target).send(
        new GetTableCommand({ DatabaseName: "orphan_db", Name: "t" }),
      );
      expect(Table?.Name).toBe("t");
    }
    expect((await journal.getEvent(orphan.eventID))?.status).toBe("applied");
  });

  it("--follow replicates, keeps polling, and exits 130 on SIGINT (after the event in hand)", async () => {
    const child = spawn(
      process.execPath,
      [
        "scripts/lakesync.mjs",
        "replicate",
        "--follow",
        "--interval-seconds",
        "1",
        "--json",
        "--config",
        lake.configFile,
        "--journal-table",
        "follow",
      ],
      { cwd: process.cwd(), env: process.env },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output from --follow; stderr: ${stderr}`)), 45_000);
      child.stdout.on("data", (chunk) => {
        stdout += String(chunk);
        if (stdout.split("\n").filter(Boolean).length >= 4) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("lakesync: interrupted:");
    const states = stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { eventName: string; state: string });
    expect(states.map((o) => `${o.eventName} ${o.state}`).sort()).toEqual([
      "CreateDatabase applied",
      "CreateDatabase applied",
      "CreateTable applied",
      "CreateTable applied",
    ]);
  });

  it("refuses to replicate a catalog onto itself", async () => {
    const run = await cli([
      "replicate",
      "--once",
      "--source-region",
      lake.source.region,
      "--source-account",
      lake.source.account,
      "--journal-table",
      lake.journalTable,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("is the source itself");
  });

  it("replicate needs exactly one of --once and --follow", async () => {
    const run = await cli(["replicate", "--config", lake.configFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("pass exactly one of --once, --follow");
  });
});
