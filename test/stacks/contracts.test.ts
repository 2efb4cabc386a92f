// Each deployed function against what its handler's code needs: the environment variables its
// contract requires, an IAM action for every AWS call its code can make (read from the source,
// test/stacks/sdk-calls.ts), and every journal index the store queries. Built from the code, so a
// call, variable or index added to a handler fails here until its stack provides it.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../modules/config/load.ts";
import { HANDLERS } from "../../modules/deploy/handlers.ts";
import { meshWriterRoleArn, targetWriterRoleArn } from "../../modules/deploy/naming.ts";
import { JOURNAL_TABLE, type JournalIndex, journalKeyAttributes } from "../../modules/journal/keys.ts";
import { GLUE_WRITE_APIS, LAKE_FORMATION_WRITE_APIS } from "../../modules/operations/apis.ts";
import { MeshWriterRole } from "../../stacks/constructs/mesh-writer-role.ts";
import type { NodejsFunction } from "../../stacks/constructs/nodejs-function.ts";
import { type SdkCall, sdkCallsOfHandler } from "./sdk-calls.ts";
import {
  allows,
  functionsOf,
  resourcesAllowed,
  type Statement,
  type Synthesized,
  statementsOf,
  synthesizeAll,
} from "./synthesized.ts";

/**
 * Calls a function's code can reach but never makes. Kept short and each with its reason: the
 * source is read module by module, so a module loaded for one function shows up in another.
 */
const NEVER_MADE: { entries?: readonly string[]; file: string; api?: string; why: string }[] = [
  {
    file: "modules/aws/journal-store.ts",
    api: "CreateTable",
    why: "creating the journal table is the CLI's, on local AWS",
  },
  {
    file: "modules/aws/journal-store.ts",
    api: "DescribeTable",
    why: "checking the journal table exists is the CLI's",
  },
  {
    entries: Object.values(HANDLERS)
      .map((h) => h.entry)
      .filter((entry) => entry !== HANDLERS.meshReconcile.entry),
    file: "modules/aws/operation-runner.ts",
    api: "AcceptResourceShareInvitation",
    why: "only the mesh reconciler plans it (a consumer accepting the central account's shares)",
  },
  {
    entries: [HANDLERS.replicate.entry],
    file: "modules/aws/journal-store.ts",
    api: "PutObject",
    why: "records are stored by the capture functions; the replicator reads them",
  },
  {
    entries: [HANDLERS.meshReconcile.entry],
    file: "modules/aws/iceberg-file-store.ts",
    why: "only replicated table writes carry the Iceberg rewrite directive (modules/mapping); the mesh plans none",
  },
];

const neverMade = (entry: string, call: SdkCall) =>
  NEVER_MADE.some(
    (n) => (n.entries ?? [entry]).includes(entry) && n.file === call.file && (n.api ?? call.api) === call.api,
  );

const writeApis = new Set<string>([
  ...GLUE_WRITE_APIS.map((api) => `glue:${api}`),
  ...LAKE_FORMATION_WRITE_APIS.map((api) => `lakeformation:${api}`),
]);
const isCatalogCall = (call: SdkCall) => call.service === "glue" || call.service === "lakeformation";

/**
 * Functions with no side of their own: every Glue, Lake Formation and RAM call, reads included,
 * goes through a writer role they assume (the mesh reconciler acts in each mesh account, central
 * included, as that account's mesh writer role). The other functions read their source with their
 * own role.
 */
const ONLY_THROUGH_WRITERS = new Set<string>([HANDLERS.meshReconcile.entry]);
const isWriterCall = (call: SdkCall) => isCatalogCall(call) || call.service === "ram";
const writesCatalog = (statements: readonly Statement[]) =>
  [...writeApis].some((action) => allows(statements, action));

interface DeployedFunction {
  entry: string;
  name: string;
  variables: Record<string, string>;
  statements: Statement[];
}

function deployed(synth: Synthesized, fn: NodejsFunction): DeployedFunction {
  const resource = synth.resourceOf("aws_lambda_function", fn.function);
  const policy = synth.resourceOf("aws_iam_role_policy", fn.node.findChild("policy"));
  return {
    entry: fn.entry,
    name: String(resource.function_name),
    variables: (resource.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {},
    statements: statementsOf(policy.policy),
  };
}

let functions: DeployedFunction[];
/**
 * Writer roles lakesync creates, by the ARN a function's policy names them with, with their
 * policy statements: each target's, and each mesh account's (the central one by reference, since
 * the reconciler's role and it are in one stack).
 */
let writerRoles: Map<string, Statement[]>;
let journalTable: Record<string, unknown>;

beforeAll(async () => {
  const config = await loadConfig("lakesync.config.example.json");
  const all = synthesizeAll(config);
  const mesh = all.mesh;
  expect(mesh, "the example config declares a mesh").toBeDefined();
  functions = [all.realtime, all.batch, ...all.snowflake, ...(mesh ? [mesh.central] : [])].flatMap((synth) =>
    functionsOf(synth.stack).map((fn) => deployed(synth, fn)),
  );
  const inlineStatements = (role: Record<string, unknown>) =>
    statementsOf((role.inline_policy as { policy: string }[])[0]?.policy);
  const meshAccounts = config.mesh
    ? [
        { account: config.mesh.central.account, synth: mesh?.central, byReference: true },
        ...config.mesh.producers.map((p, i) => ({
          account: p.account,
          synth: mesh?.producers[i],
          byReference: false,
        })),
        ...config.mesh.consumers.map((c, i) => ({
          account: c.account,
          synth: mesh?.consumers[i],
          byReference: false,
        })),
      ]
    : [];
  writerRoles = new Map([
    ...all.targets.map(({ target, synth }): [string, Statement[]] => {
      const arn = targetWriterRoleArn(config, { ...target, roleArn: undefined });
      return [arn, inlineStatements(synth.resourceOf("aws_iam_role", synth.stack.role))];
    }),
    ...meshAccounts.flatMap(({ account, synth, byReference }) =>
      (synth ? synth.stack.node.findAll() : [])
        .filter((c): c is MeshWriterRole => c instanceof MeshWriterRole)
        .map((writer): [string, Statement[]] => [
          byReference
            ? `\${aws_iam_role.${synth?.stack.getLogicalId(writer.role)}.arn}`
            : meshWriterRoleArn(config, account),
          inlineStatements(synth?.resourceOf("aws_iam_role", writer.role) ?? {}),
        ]),
    ),
  ]);
  journalTable = all.realtime.resourceOf("aws_dynamodb_table", all.realtime.stack.journal.table);
}, 120_000);

describe("every deployed function", () => {
  it("runs a handler that has a contract, and every handler is deployed", () => {
    const entries = Object.values(HANDLERS).map((h) => h.entry);
    expect(functions.map((f) => f.entry).sort()).toEqual(expect.arrayContaining(entries));
    for (const fn of functions) expect(entries).toContain(fn.entry);
  });

  it("is given every environment variable its handler requires", () => {
    for (const fn of functions) {
      const contract = Object.values(HANDLERS).find((h) => h.entry === fn.entry);
      const missing = (contract?.requiredEnv ?? []).filter((name) => !(name in fn.variables));
      expect(missing, `${fn.name} (${fn.entry}) lacks`).toEqual([]);
    }
  });

  it("may make every AWS call its code makes: catalog writes through a writer role, reads on both sides", () => {
    for (const fn of functions) {
      const assumable = resourcesAllowed(fn.statements, "sts:AssumeRole");
      const writers = [...writerRoles].filter(([arn]) => assumable.includes(arn)).map(([, s]) => s);
      const problems: string[] = [];
      const calls = sdkCallsOfHandler(fn.entry);
      expect(calls.length, `${fn.entry} makes no AWS call?`).toBeGreaterThan(0);
      const throughWriters = ONLY_THROUGH_WRITERS.has(fn.entry);
      // The writer roles each catalog call must be allowed to: every one assumed, or, for a function
      // acting only through writer roles, each that writes a catalog (a mesh producer's accepts shares).
      const catalogWriters = throughWriters ? writers.filter(writesCatalog) : writers;
      for (const call of calls) {
        if (neverMade(fn.entry, call)) continue;
        for (const action of call.actions) {
          const where = `${action} (${call.file})`;
          const writes = writeApis.has(`${call.service}:${call.api}`);
          if (throughWriters && isWriterCall(call)) {
            if (!writers.some((s) => allows(s, action))) {
              problems.push(`${where}: not allowed to any writer role it assumes`);
            }
          } else if (isCatalogCall(call) && writes) {
            if (writers.length === 0) problems.push(`${where}: assumes no lakesync writer role`);
          } else if (!allows(fn.statements, action)) {
            problems.push(`${where}: not allowed to the function's role`);
          }
          if (isCatalogCall(call) && !catalogWriters.every((s) => allows(s, action))) {
            problems.push(`${where}: not allowed to a writer role it assumes`);
          }
        }
      }
      expect(problems, `${fn.name} (${fn.entry})`).toEqual([]);
    }
  });

  it("never writes a catalog with its own role", () => {
    for (const fn of functions) {
      const own = [...writeApis].filter((action) => allows(fn.statements, action));
      expect(own, fn.name).toEqual([]);
    }
  });
});

describe("the journal table", () => {
  type Index = {
    name: string;
    hash_key: string;
    range_key?: string;
    projection_type: string;
    non_key_attributes?: string[];
  };

  it("has every index the journal store queries, keyed and projected as JOURNAL_TABLE says", () => {
    const store = readFileSync("modules/aws/journal-store.ts", "utf8");
    const queried = [...store.matchAll(/IndexName:\s*JOURNAL_TABLE\.(\w+)\.name/g)].map((m) => m[1] ?? "");
    expect(queried.length).toBeGreaterThan(0);
    const indexes = (journalTable.global_secondary_index ?? []) as Index[];
    for (const key of queried) {
      const wanted = (JOURNAL_TABLE as unknown as Record<string, JournalIndex>)[key];
      const index = indexes.find((i) => i.name === wanted?.name);
      expect(index, `index ${wanted?.name}`).toMatchObject({
        hash_key: wanted?.partitionKey,
        range_key: wanted?.sortKey,
        projection_type: "INCLUDE",
      });
      expect([...(index?.non_key_attributes ?? [])].sort()).toEqual(
        [...(wanted?.projectedAttributes ?? [])].sort(),
      );
    }
  });

  it("defines the key attributes, stream and TTL attribute the code uses", () => {
    expect(journalTable).toMatchObject({
      hash_key: JOURNAL_TABLE.partitionKey,
      stream_enabled: true,
      stream_view_type: JOURNAL_TABLE.streamViewType,
      ttl: { attribute_name: JOURNAL_TABLE.ttlAttribute, enabled: true },
    });
    expect(journalTable.attribute).toEqual(journalKeyAttributes());
  });
});
