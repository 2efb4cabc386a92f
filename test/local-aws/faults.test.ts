// Contract: local AWS injects faults the way AWS answers them (scripts/localaws/faults.py,
// capture_faults.py). Error shapes: https://docs.aws.amazon.com/glue/latest/webapi/CommonErrors.html
// (ThrottlingException 400, InternalFailure 500); per-entry batch errors:
// https://docs.aws.amazon.com/glue/latest/webapi/API_BatchCreatePartition.html (Errors: PartitionError)
// and https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_BatchGrantPermissions.html
// (Failures); CloudTrail delivery to EventBridge is best effort:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
// Access denied: Glue AccessDeniedException 400 (CommonErrors above), Lake Formation
// AccessDeniedException 403 (https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_GetDataLakeSettings.html),
// AssumeRole refused with AccessDenied "... not authorized to perform: sts:AssumeRole on resource"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html).
import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
} from "@aws-sdk/client-glue";
import { GetDataLakeSettingsCommand } from "@aws-sdk/client-lakeformation";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { LocalCallCounts } from "../../modules/local/call-counts.ts";
import { routeCloudTrailEventsToQueue } from "../../modules/local/cloudtrail-queue.ts";
import { LocalFaults } from "../../modules/local/faults.ts";
import { lookupAll, recordOf } from "../local-aws/cloudtrail-support.ts";
import { patientClients, receiveAll } from "../replicator/support.ts";
import { client, endpoint, testLocation } from "../support/local-aws.ts";

const faults = new LocalFaults(endpoint());
const counts = new LocalCallCounts(endpoint());
const scope = `faults-contract-${process.pid}`;

afterEach(() => faults.clear(scope));

describe("API faults", () => {
  it("throttles the nth call with a ThrottlingException, and lets the next through", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    await faults.set(scope, [
      { kind: "throttle", service: "glue", operation: "GetDatabases", account: location.account, nth: [1] },
    ]);
    await expect(glue.send(new GetDatabasesCommand({}))).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(glue.send(new GetDatabasesCommand({}))).resolves.toBeDefined();
    expect((await faults.report(scope))?.injected).toEqual({ throttle: 1 });
    expect(await counts.count("glue", "GetDatabases", location.account)).toBe(2);
  });

  it("ratePerSecond throttles the calls beyond a token bucket's rate, as a request-rate quota does", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    const rate = { ratePerSecond: 2, burst: 3 };
    await faults.set(scope, [
      { kind: "throttle", service: "glue", operation: "GetDatabases", account: location.account, ...rate },
    ]);
    const started = performance.now();
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++)
      outcomes.push(
        await glue.send(new GetDatabasesCommand({})).then(
          () => "ok",
          (error: Error) => error.name,
        ),
      );
    const seconds = (performance.now() - started) / 1000;
    const ok = outcomes.filter((o) => o === "ok").length;
    // The burst goes through at once; after it, no more than the rate refills in the time taken.
    expect(outcomes.slice(0, 3)).toEqual(["ok", "ok", "ok"]);
    expect(ok).toBeLessThanOrEqual(rate.burst + Math.ceil(seconds * rate.ratePerSecond));
    expect(outcomes.filter((o) => o === "ThrottlingException")).toHaveLength(12 - ok);
    expect((await faults.report(scope))?.injected).toEqual({ throttle: 12 - ok });
    // Tokens come back with time: after a second, a call goes through again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expect(glue.send(new GetDatabasesCommand({}))).resolves.toBeDefined();
  });

  it("answers a restJson1 call with a 500 InternalFailure", async () => {
    const location = testLocation("eu-west-1");
    await faults.set(scope, [{ kind: "5xx", service: "lakeformation", account: location.account }]);
    await expect(
      client("lakeformation", location).send(new GetDataLakeSettingsCommand({})),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
  });

  it("access-denied: refuses as Glue and Lake Formation do, and applies nothing", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    await faults.set(scope, [
      { kind: "access-denied", service: ["glue", "lakeformation"], account: location.account, maxFaults: 2 },
    ]);
    await expect(
      glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "denied" } })),
    ).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringContaining("not authorized to perform: glue:CreateDatabase"),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client("lakeformation", location).send(new GetDataLakeSettingsCommand({})),
    ).rejects.toMatchObject({ name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } });
    await expect(glue.send(new GetDatabaseCommand({ Name: "denied" }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
  });

  it("access-denied on AssumeRole matches the role's account: that role cannot be assumed, others can", async () => {
    const denied = testLocation("eu-west-1");
    const other = testLocation("eu-west-1");
    await faults.set(scope, [{ kind: "access-denied", operation: "AssumeRole", account: denied.account }]);
    const sts = new STSClient({
      endpoint: endpoint(),
      region: "eu-west-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const assume = (account: string) =>
      sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/r`, RoleSessionName: "s" }));
    await expect(assume(denied.account)).rejects.toMatchObject({
      name: "AccessDenied",
      message: expect.stringMatching(
        new RegExp(
          `^User: arn:aws:\\S+ is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${denied.account}:role/r$`,
        ),
      ),
      $metadata: { httpStatusCode: 403 },
    });
    await expect(assume(other.account)).resolves.toMatchObject({ Credentials: expect.anything() });
    sts.destroy();
  });

  it("reset: the call is not applied; timeout: the call is applied but its answer is lost", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    await faults.set(scope, [
      { kind: "reset", service: "glue", operation: "CreateDatabase", account: location.account, nth: [1] },
      { kind: "timeout", service: "glue", operation: "CreateDatabase", account: location.account, nth: [2] },
    ]);
    await expect(
      glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "reset" } })),
    ).rejects.toThrow();
    await expect(
      glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "lost_answer" } })),
    ).rejects.toThrow();
    const names = (await glue.send(new GetDatabasesCommand({}))).DatabaseList?.map((d) => d.Name);
    expect(names).toEqual(["lost_answer"]);
    await expect(glue.send(new GetDatabaseCommand({ Name: "reset" }))).rejects.toMatchObject({
      name: "EntityNotFoundException",
    });
  });

  it("partial-batch-failure applies some entries and reports the others as Glue answers them", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "db" } }));
    await glue.send(
      new CreateTableCommand({
        DatabaseName: "db",
        TableInput: { Name: "t", PartitionKeys: [{ Name: "dt", Type: "string" }] },
      }),
    );
    await faults.set(scope, [{ kind: "partial-batch-failure", account: location.account, entries: 0.5 }], 3);
    const values = ["1", "2", "3", "4"];
    const answer = await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: "db",
        TableName: "t",
        PartitionInputList: values.map((v) => ({ Values: [v] })),
      }),
    );
    expect(answer.Errors).toHaveLength(2);
    for (const error of answer.Errors ?? []) {
      expect(error.ErrorDetail?.ErrorCode).toBe("InternalServiceException");
    }
    const failed = new Set(answer.Errors?.map((e) => e.PartitionValues?.[0]));
    const { Partitions } = await glue.send(new GetPartitionsCommand({ DatabaseName: "db", TableName: "t" }));
    expect(Partitions?.map((p) => p.Values?.[0]).sort()).toEqual(values.filter((v) => !failed.has(v)));
  });

  it("rejects a rule of an unknown kind with a message naming it", async () => {
    const response = await fetch(new URL("/_lakesync/faults", endpoint()), {
      method: "POST",
      body: JSON.stringify({ scope, rules: [{ kind: "meteor" }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("'meteor'");
  });
});

describe("capture faults", () => {
  const bodies = (messages: { Body?: string }[]) =>
    messages.map((m) => JSON.parse(m.Body ?? "{}").detail.requestParameters.databaseInput.name);

  it("drops and duplicates EventBridge deliveries; LookupEvents still has every record", async () => {
    const location = testLocation("eu-west-1");
    const queueUrl = await routeCloudTrailEventsToQueue(patientClients, location, "faults");
    await faults.set(scope, [
      { kind: "drop", path: "eventbridge", account: location.account, nth: [1] },
      { kind: "duplicate", path: "eventbridge", account: location.account, nth: [2] },
    ]);
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "dropped" } }));
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "twice" } }));
    expect(bodies(await receiveAll(location, queueUrl))).toEqual(["twice", "twice"]);
    const looked = (await lookupAll(location)).filter((e) => e.EventName === "CreateDatabase");
    expect(looked.map((e) => recordOf(e).eventName)).toHaveLength(2);
  });

  it("a delayed LookupEvents record is missing from the history while EventBridge has it", async () => {
    const location = testLocation("eu-west-1");
    const queueUrl = await routeCloudTrailEventsToQueue(patientClients, location, "faults");
    await faults.set(scope, [
      { kind: "delay", path: "lookup", account: location.account, delaySeconds: 3600 },
    ]);
    await client("glue", location).send(new CreateDatabaseCommand({ DatabaseInput: { Name: "late" } }));
    expect(bodies(await receiveAll(location, queueUrl))).toEqual(["late"]);
    expect((await lookupAll(location)).filter((e) => e.EventName === "CreateDatabase")).toEqual([]);
  });

  it("reorders EventBridge deliveries: a held record goes out after the next one", async () => {
    const location = testLocation("eu-west-1");
    const queueUrl = await routeCloudTrailEventsToQueue(patientClients, location, "faults");
    await faults.set(scope, [{ kind: "reorder", path: "eventbridge", account: location.account, nth: [1] }]);
    const glue = client("glue", location);
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "first" } }));
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "second" } }));
    expect(bodies(await receiveAll(location, queueUrl))).toEqual(["second", "first"]);
  });
});

describe("the call counter under faults", () => {
  it("counts a call whose answer was lost as applied only when the service applied it", async () => {
    const location = testLocation("eu-west-1");
    const glue = client("glue", location);
    await faults.set(scope, [
      { kind: "timeout", service: "glue", operation: "CreateDatabase", account: location.account },
    ]);
    // Applied, answer lost; then refused (it exists), answer lost too.
    await expect(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "once" } }))).rejects.toThrow();
    await expect(glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "once" } }))).rejects.toThrow();
    const [call] = (await counts.list(location.account)).filter((c) => c.operation === "CreateDatabase");
    // Applied once: the refused call counts as an error (whether a call is retried on a fresh
    // connection is the SDK's business, so only what was applied is asserted).
    expect((call?.count ?? 0) - (call?.errors ?? 0)).toBe(1);
  });
});
