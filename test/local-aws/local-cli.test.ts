// `lakesync local up|down|seed` as a user runs them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GetDatabasesCommand, GetPartitionsCommand, GetTablesCommand } from "@aws-sdk/client-glue";
import {
  GetResourceLFTagsCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
} from "@aws-sdk/client-lakeformation";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../modules/local/local-aws.ts";
import { cli } from "../support/cli.ts";
import { client, testLocation } from "../support/local-aws.ts";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("lakesync local", () => {
  it("up --detach prints the endpoint and pid as its last line; down stops that server", async () => {
    const up = await cli(["local", "up", "--detach"]);
    expect(up.code).toBe(0);
    const handle = JSON.parse(up.stdout.trim().split("\n").at(-1) ?? "{}") as {
      endpoint: string;
      pid: number;
    };
    expect(handle.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${handle.endpoint}/moto-api/`)).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(projectRoot, ".lakesync", "local.json"), "utf8"))).toEqual(handle);

    const again = await cli(["local", "up", "--detach"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already running");

    const down = await cli(["local", "down"]);
    expect(down.code).toBe(0);
    expect(alive(handle.pid)).toBe(false);
    expect(existsSync(join(projectRoot, ".lakesync", "local.json"))).toBe(false);
    expect((await cli(["local", "down"])).stderr).toContain("no local AWS was running");
  });

  it("seed creates the sample lake, and seeding again changes nothing that is there", async () => {
    const where = testLocation("us-east-1");
    const first = await cli(["local", "seed", "--account", where.account, "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      account: where.account,
      region: "us-east-1",
      summary: { failed: 0 },
    });

    const glue = client("glue", where);
    const databases = (await glue.send(new GetDatabasesCommand({}))).DatabaseList?.map((d) => d.Name).sort();
    expect(databases).toEqual(["cur_database", "sampledb", "sampledb_link", "tag_database"]);
    const tables = (await glue.send(new GetTablesCommand({ DatabaseName: "sampledb" }))).TableList ?? [];
    expect(
      Object.fromEntries(tables.map((t) => [t.Name, t.TableType ?? (t.TargetTable ? "LINK" : "")])),
    ).toEqual({
      customers_csv: "EXTERNAL_TABLE",
      customers_link: "LINK",
      elb_logs: "EXTERNAL_TABLE",
      events_iceberg: "EXTERNAL_TABLE",
      orders_parquet: "EXTERNAL_TABLE",
      recent_orders_view: "VIRTUAL_VIEW",
    });
    const partitions = await glue.send(
      new GetPartitionsCommand({ DatabaseName: "sampledb", TableName: "elb_logs" }),
    );
    expect(partitions.Partitions?.map((p) => p.Values)).toEqual(
      expect.arrayContaining([
        ["2024", "01"],
        ["2024", "02"],
        ["2025", "01"],
      ]),
    );

    const lf = client("lakeformation", where);
    expect((await lf.send(new ListLFTagsCommand({}))).LFTags?.map((t) => t.TagKey).sort()).toEqual([
      "classification",
      "domain",
      "pii",
    ]);
    const tags = await lf.send(
      new GetResourceLFTagsCommand({
        Resource: { Table: { DatabaseName: "tag_database", Name: "customer_profile" } },
      }),
    );
    const piiColumns = tags.LFTagsOnColumns?.filter((c) => c.LFTags?.some((t) => t.TagKey === "pii"));
    expect(piiColumns?.map((c) => c.Name).sort()).toEqual(["email", "phone"]);
    const grants = await lf.send(
      new ListPermissionsCommand({ Resource: { Table: { DatabaseName: "sampledb", Name: "elb_logs" } } }),
    );
    expect(grants.PrincipalResourcePermissions?.[0]).toMatchObject({
      Permissions: expect.arrayContaining(["SELECT", "DESCRIBE"]),
      PermissionsWithGrantOption: ["SELECT"],
    });

    const second = await cli(["local", "seed", "--account", where.account, "--json"]);
    expect(JSON.parse(second.stdout).summary).toMatchObject({ failed: 0 });
  });
});
