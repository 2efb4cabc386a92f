// BASELINE, not lakesync: the per-object restore users run today, written the way the seed batch
// job restores (/work/shared/research/seed-inventory.md §2.4) so the bench can quote lakesync
// against it. Extract: paged GetDatabases, GetTables and GetPartitions, and ListPermissions, to a
// JSON Lines file. Restore, in file order, one call per object and one after another:
// CreateDatabase (UpdateDatabase when it exists), CreateTable (UpdateTable), CreatePartition
// (UpdatePartition), then GrantPermissions per row whose resource is a database, table or columns
// (the seed skips the other resource types and has no LF tag restore).
// Run as its own process by bench/run.ts (for its peak RSS); prints one JSON line.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  AlreadyExistsException,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  type Database,
  type Partition,
  paginateGetDatabases,
  paginateGetPartitions,
  paginateGetTables,
  type Table,
  UpdateDatabaseCommand,
  UpdatePartitionCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { GrantPermissionsCommand, paginateListPermissions } from "@aws-sdk/client-lakeformation";
import { allClients } from "../modules/aws/all-clients.ts";
import { AwsWiring } from "../modules/aws/wiring/base.ts";

type Line =
  | { kind: "database"; value: Database }
  | { kind: "table"; value: Table }
  | { kind: "partition"; value: Partition }
  | { kind: "permission"; value: Record<string, unknown> };

const { values: args } = parseArgs({
  options: {
    "source-account": { type: "string" },
    "source-region": { type: "string" },
    "target-account": { type: "string" },
    "target-region": { type: "string" },
  },
});
const source = { account: String(args["source-account"]), region: String(args["source-region"]) };
const target = { account: String(args["target-account"]), region: String(args["target-region"]) };
const aws = new AwsWiring(allClients, { maxAttempts: 5 });
const { clients } = aws;

async function extract(file: string): Promise<number> {
  const glue = clients.get("glue", source);
  const out = createWriteStream(file);
  const write = (line: Line) => out.write(`${JSON.stringify(line)}\n`);
  let lines = 0;
  for await (const page of paginateGetDatabases({ client: glue }, {}))
    for (const database of page.DatabaseList ?? []) {
      write({ kind: "database", value: database });
      lines++;
      for await (const tables of paginateGetTables({ client: glue }, { DatabaseName: database.Name }))
        for (const table of tables.TableList ?? []) {
          write({ kind: "table", value: table });
          lines++;
          for await (const parts of paginateGetPartitions(
            { client: glue },
            { DatabaseName: database.Name, TableName: table.Name },
          ))
            for (const partition of parts.Partitions ?? []) {
              write({ kind: "partition", value: partition });
              lines++;
            }
        }
    }
  for await (const page of paginateListPermissions({ client: clients.get("lakeformation", source) }, {}))
    for (const row of page.PrincipalResourcePermissions ?? []) {
      write({ kind: "permission", value: row as Record<string, unknown> });
      lines++;
    }
  await new Promise<void>((resolve) => out.end(resolve));
  return lines;
}

const mapAccount = (text: string) => text.replaceAll(source.account, target.account);

async function restore(file: string): Promise<Record<string, number>> {
  const glue = clients.get("glue", target);
  const lakeformation = clients.get("lakeformation", target);
  const done: Record<string, number> = {};
  const count = (what: string) => {
    done[what] = (done[what] ?? 0) + 1;
  };
  for await (const text of createInterface({ input: createReadStream(file) })) {
    const line = JSON.parse(text) as Line;
    if (line.kind === "database") {
      const { Name, Description, LocationUri, Parameters } = line.value;
      const DatabaseInput = { Name, Description, LocationUri, Parameters };
      try {
        await glue.send(new CreateDatabaseCommand({ DatabaseInput }));
      } catch (error) {
        if (!(error instanceof AlreadyExistsException)) throw error;
        await glue.send(new UpdateDatabaseCommand({ Name, DatabaseInput }));
      }
      count("databases");
    } else if (line.kind === "table") {
      const { DatabaseName, Name, Description, TableType, Parameters, PartitionKeys, StorageDescriptor } =
        line.value;
      const TableInput = { Name, Description, TableType, Parameters, PartitionKeys, StorageDescriptor };
      try {
        await glue.send(new CreateTableCommand({ DatabaseName, TableInput }));
      } catch (error) {
        if (!(error instanceof AlreadyExistsException)) throw error;
        await glue.send(new UpdateTableCommand({ DatabaseName, TableInput }));
      }
      count("tables");
    } else if (line.kind === "partition") {
      const { DatabaseName, TableName, Values, StorageDescriptor, Parameters } = line.value;
      const PartitionInput = { Values, StorageDescriptor, Parameters };
      try {
        await glue.send(new CreatePartitionCommand({ DatabaseName, TableName, PartitionInput }));
      } catch (error) {
        if (!(error instanceof AlreadyExistsException)) throw error;
        await glue.send(
          new UpdatePartitionCommand({ DatabaseName, TableName, PartitionValueList: Values, PartitionInput }),
        );
      }
      count("partitions");
    } else {
      const resource = line.value.Resource as Record<string, unknown>;
      if (!resource.Database && !resource.Table && !resource.TableWithColumns) {
        count("permissionsSkipped");
        continue;
      }
      const { Principal, Resource, Permissions, PermissionsWithGrantOption } = JSON.parse(
        mapAccount(JSON.stringify(line.value)),
      );
      await lakeformation.send(
        new GrantPermissionsCommand({ Principal, Resource, Permissions, PermissionsWithGrantOption }),
      );
      count("permissions");
    }
  }
  return done;
}

const file = join(await mkdtemp(join(tmpdir(), "lakesync-bench-baseline-")), "catalog.jsonl");
try {
  const extractStart = performance.now();
  const lines = await extract(file);
  const extractMs = performance.now() - extractStart;
  const restoreStart = performance.now();
  const restored = await restore(file);
  const restoreMs = performance.now() - restoreStart;
  process.stdout.write(`${JSON.stringify({ lines, extractMs, restoreMs, restored })}\n`);
} finally {
  aws.destroy();
}
