// Batch under chaos: `sync` and `restore` killed (SIGKILL, as a crashed host or a Ctrl-\) at random
// points and then re-run converge to 0 differences; partial batch failures and throttling never
// lose an object. The kill point is chosen by call: local AWS holds the run's nth target write
// (scripts/localaws/faults.py), either before applying it ("reset") or after applying it but
// before answering ("timeout"), and the test kills the process while it is held there.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { type FaultRule, LocalFaults } from "../../modules/local/faults.ts";
import { projectRoot } from "../../modules/local/local-aws.ts";
import { GLUE_WRITE_APIS, LAKE_FORMATION_WRITE_APIS } from "../../modules/operations/apis.ts";
import { createSampleCatalog, sampleBucket } from "../batch/catalog-support.ts";
import { cli } from "../support/cli.ts";
import { client, endpoint, testLocation } from "../support/local-aws.ts";

const source = testLocation("us-east-1");
const faults = new LocalFaults(endpoint());
const counts = new LocalCallCounts(endpoint());
const scope = `batch-kill-${process.pid}`;
const writeApis = [...GLUE_WRITE_APIS, ...LAKE_FORMATION_WRITE_APIS];
const backupBucket = `lakesync-backups-${source.account}`;
const sourceFlags = ["--source-region", source.region, "--source-account", source.account];
const backupFlags = ["--bucket", backupBucket, "--prefix", "chaos/"];
const targetFlags = (account: string) => [
  "--target-region",
  "us-west-2",
  "--target-account",
  account,
  "--bucket-map",
  `${sampleBucket}=${sampleBucket}-dr`,
];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Target write calls a complete run makes (measured on a target of its own). */
let writesPerRun = 0;

beforeAll(async () => {
  await createSampleCatalog(source);
  await client("s3", source).send(new CreateBucketCommand({ Bucket: backupBucket }));
  expect((await cli(["backup", ...sourceFlags, ...backupFlags])).code).toBe(0);
  const measured = testLocation("us-west-2");
  const run = await cli(["sync", ...sourceFlags, ...targetFlags(measured.account)]);
  expect(run.code, run.stderr).toBe(0);
  const calls = await counts.byOperation(measured.account);
  writesPerRun = writeApis.reduce(
    (sum, api) => sum + (calls[`glue:${api}`] ?? 0) + (calls[`lakeformation:${api}`] ?? 0),
    0,
  );
  expect(writesPerRun).toBeGreaterThan(10);
}, 180_000);

/** Runs `lakesync <args>` as a process and SIGKILLs it while local AWS holds its nth target write. */
async function killedAt(args: string[], target: string, nth: number, kind: "reset" | "timeout") {
  const rule: FaultRule = {
    kind,
    account: target,
    service: ["glue", "lakeformation"],
    operation: writeApis,
    nth: [nth],
    delayMs: 60_000,
  };
  await faults.set(scope, [rule]);
  const child: ChildProcess = spawn(
    process.execPath,
    [join(projectRoot, "scripts", "lakesync.mjs"), ...args],
    {
      env: process.env,
      stdio: "ignore",
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  );
  // Wait until the process is held at its nth write (or, should it make fewer, has ended).
  while ((await faults.injected(scope)) === 0 && child.exitCode === null) await sleep(50);
  child.kill("SIGKILL");
  const signal = await exited;
  await faults.clear(scope);
  return signal;
}

const killPoints = (seed: number) =>
  fc.sample(
    fc.tuple(
      fc.integer({ min: 1, max: writesPerRun }),
      fc.constantFrom("reset", "timeout") as fc.Arbitrary<"reset" | "timeout">,
    ),
    {
      seed,
      numRuns: 2,
    },
  );

describe("batch runs killed at random points", { timeout: 180_000 }, () => {
  it("sync, killed and re-run, converges to 0 differences", async () => {
    for (const [nth, kind] of killPoints(11)) {
      const target = testLocation("us-west-2").account;
      const flags = [...sourceFlags, ...targetFlags(target)];
      expect(await killedAt(["sync", ...flags], target, nth, kind)).toBe("SIGKILL");
      const rerun = await cli(["sync", ...flags]);
      expect(rerun.code, `${kind} at write ${nth}: ${rerun.stderr}`).toBe(0);
      const diff = await cli(["diff", "--delete", ...flags]);
      expect(diff.code, `${kind} at write ${nth}: ${diff.stdout}`).toBe(0);
    }
  });

  it("restore, killed and re-run, converges to 0 differences with the backup", async () => {
    for (const [nth, kind] of killPoints(12)) {
      const target = testLocation("us-west-2").account;
      const flags = ["--from", "latest", ...sourceFlags, ...backupFlags, ...targetFlags(target)];
      expect(await killedAt(["restore", ...flags], target, nth, kind)).toBe("SIGKILL");
      const rerun = await cli(["restore", ...flags]);
      expect(rerun.code, `${kind} at write ${nth}: ${rerun.stderr}`).toBe(0);
      const diff = await cli(["diff", "--delete", ...flags]);
      expect(diff.code, `${kind} at write ${nth}: ${diff.stdout}`).toBe(0);
    }
  });
});

describe("batch runs under partial batch failures and throttling", { timeout: 180_000 }, () => {
  it("sync loses no object: every entry a batch answer failed is retried", async () => {
    const target = testLocation("us-west-2").account;
    const flags = [...sourceFlags, ...targetFlags(target)];
    await faults.set(
      scope,
      [
        // An entry gets OPERATION_ATTEMPTS tries, so at 0.3 it fails for good about once in 400
        // (0.3^5; the run would then name it and exit 1). The seed makes the draws repeatable.
        { kind: "partial-batch-failure", account: target, probability: 0.3 },
        { kind: "throttle", account: target, service: ["glue", "lakeformation"], probability: 0.08 },
      ],
      5,
    );
    const run = await cli(["sync", ...flags]);
    const report = await faults.report(scope);
    await faults.clear(scope);
    expect(run.code, run.stderr).toBe(0);
    expect(report?.injected["partial-batch-failure"]).toBeGreaterThan(0);
    expect(report?.injected.throttle).toBeGreaterThan(0);
    const diff = await cli(["diff", "--delete", ...flags]);
    expect(diff.code, diff.stdout).toBe(0);
  });
});
