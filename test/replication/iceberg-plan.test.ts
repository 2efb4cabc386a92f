// The realtime planner on an Iceberg table's UpdateTable (a new snapshot committed in the source):
// the table write carries the metadata rewrite directive per the target's iceberg setting, and
// `plan-event` (no AWS calls) says the table's metadata tree will be rewritten into the target bucket.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cli } from "../support/cli.ts";
import { fixture, plan, rules, SRC } from "./fixtures.ts";

afterEach(() => vi.restoreAllMocks());

const metadata = "s3://lake-east/sales/orders/metadata/00003-5f1c.metadata.json";
const previous = "s3://lake-east/sales/orders/metadata/00002-9a0b.metadata.json";
const icebergUpdate = () =>
  fixture("UpdateTable", (raw) => {
    const table = (raw.requestParameters as { tableInput: Record<string, unknown> }).tableInput;
    table.parameters = {
      table_type: "ICEBERG",
      metadata_location: metadata,
      previous_metadata_location: previous,
    };
  });

describe("an Iceberg table's UpdateTable", () => {
  it("rewrite (default): one UpdateTable with the directive, named in the plan", () => {
    const [operation, ...rest] = plan(icebergUpdate()).operations;
    expect(rest).toEqual([]);
    expect(operation?.operation).toBe("UpdateTable");
    expect(operation?.input.__iceberg).toEqual({
      mode: "rewrite",
      sourceMetadataLocation: metadata,
      sourcePreviousMetadataLocation: previous,
      buckets: { "lake-east": "lake-west" },
      source: { account: SRC, region: "us-east-1" },
    });
    expect(operation?.description).toBe(
      "update table sales.orders (Iceberg metadata tree rewritten into s3://lake-west/…/metadata/lakesync-dr/)",
    );
  });

  it("pointer-only: the metadata pointers are mapped, nothing else", () => {
    const [operation] = plan(icebergUpdate(), rules({ iceberg: "pointer-only" })).operations;
    expect(operation?.input).not.toHaveProperty("__iceberg");
    expect((operation!.input.TableInput as { Parameters: unknown }).Parameters).toEqual({
      table_type: "ICEBERG",
      metadata_location: metadata.replace("lake-east", "lake-west"),
      previous_metadata_location: previous.replace("lake-east", "lake-west"),
    });
  });

  it("skip: the plan says the table is skipped and why", () => {
    const [operation] = plan(icebergUpdate(), rules({ iceberg: "skip" })).operations;
    expect(operation?.description).toBe(
      "update table sales.orders (skipped: Iceberg table moved from bucket lake-east to lake-west: the target's iceberg setting is skip)",
    );
  });

  it("plan-event prints the rewrite per table, and --json keeps the command input without the directive", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "lakesync-iceberg-plan-")), "event.json");
    writeFileSync(file, JSON.stringify(icebergUpdate()));
    const flags = [
      "plan-event",
      "--event",
      file,
      "--target-region",
      "us-west-2",
      "--bucket-map",
      "lake-east=lake-west",
    ];
    const human = await cli(flags);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(
      "glue:UpdateTable - update table sales.orders (Iceberg metadata tree rewritten into s3://lake-west/…/metadata/lakesync-dr/)",
    );
    const json = await cli([...flags, "--json"]);
    const [operation] = JSON.parse(json.lastLine).operations;
    expect(operation.input).not.toHaveProperty("__iceberg");
    expect(operation.input.TableInput.Parameters.metadata_location).toBe(
      metadata.replace("lake-east", "lake-west"),
    );
  });
});
