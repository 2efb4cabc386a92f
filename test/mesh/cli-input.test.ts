// Bad input to `lakesync mesh`: one line naming the flag or the file, exit 1, nothing read or written.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.ts";

describe("lakesync mesh input errors", () => {
  it("explain names a bad --principal, --table or --account", async () => {
    const base = [
      "mesh",
      "explain",
      "--principal",
      "arn:aws:iam::123456789012:role/analysts",
      "--table",
      "db.t",
    ];
    const cases: [string[], string][] = [
      [
        ["mesh", "explain", "--principal", "analysts", "--table", "db.t"],
        'lakesync: --principal: expected an IAM role or user ARN, got "analysts"\n',
      ],
      [
        ["mesh", "explain", "--principal", "arn:aws:iam::123456789012:role/a", "--table", "orders"],
        'lakesync: --table: expected DB.TABLE, got "orders"\n',
      ],
      [[...base, "--account", "12"], 'lakesync: --account: expected a 12-digit account id, got "12"\n'],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(message);
      expect(run.stdout).toBe("");
    }
  });

  it("plan names a config without a mesh section", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "lakesync-mesh-cli-")), "lakesync.config.json");
    writeFileSync(
      file,
      JSON.stringify({
        source: { account: "111111111111", region: "us-east-1" },
        targets: [{ name: "dr", account: "111111111111", region: "us-west-2" }],
        batch: { backupBucket: "unused" },
      }),
    );
    const run = await cli(["mesh", "plan", "--config", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`lakesync: ${file}: mesh: the config has no mesh section\n`);
  });
});
