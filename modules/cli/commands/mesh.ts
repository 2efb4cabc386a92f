// `lakesync mesh plan | apply | status | explain`: the declared mesh reconciled into the live Lake
// Formation and Glue state of its accounts (modules/mesh), and the access explainer.
import type { Command } from "commander";
import { allClients } from "../../aws/all-clients.ts";
import { type ExplainQuestion, readExplainFacts } from "../../aws/mesh-explain-reader.ts";
import { MeshWiring } from "../../aws/wiring/mesh.ts";
import { meshCrawlerRoleArn } from "../../deploy/naming.ts";
import { explainAccess, explanationLines } from "../../mesh/explain.ts";
import { MeshPlanError } from "../../mesh/plan.ts";
import { type MeshRun, reconcileMesh } from "../../mesh/reconcile.ts";
import { accountOfPrincipal, locateAccount, type MeshSpec } from "../../mesh/spec.ts";
import { meshSpecOf } from "../../mesh/spec-of-config.ts";
import { planSummary } from "../../operations/plan-summary.ts";
import { configOptionHelp, loadCliConfig } from "../config-file.ts";
import { CliError, ExitCode } from "../exit-codes.ts";

interface MeshOptions {
  config?: string;
  prune?: boolean;
  json?: boolean;
}

interface ExplainOptions {
  config?: string;
  principal: string;
  table: string;
  account?: string;
  json?: boolean;
}

const write = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);

export function registerMesh(program: Command): void {
  const mesh = program
    .command("mesh")
    .description("reconcile the config's data mesh into Lake Formation and Glue, and explain access");
  const common = (command: Command) =>
    command
      .option("--config <file>", configOptionHelp("the mesh section"))
      .option("--prune", "also remove what the config no longer declares (shown in the plan first)")
      .option("--json", "machine-readable output on stdout");
  common(mesh.command("plan"))
    .description("print the operations that would bring the mesh's accounts to the declared state")
    .action(async (options: MeshOptions) => meshCommand("plan", options));
  common(mesh.command("apply"))
    .description("apply the plan through the executor; exit 0 when every operation succeeded")
    .action(async (options: MeshOptions) => meshCommand("apply", options));
  common(mesh.command("status"))
    .description("per account, whether the live state is the declared one; exit 0 in place, 2 drifted")
    .action(async (options: MeshOptions) => meshCommand("status", options));
  mesh
    .command("explain")
    .description(
      "whether a principal can DESCRIBE and SELECT a table, and what is missing; exit 0 allowed, 2 not",
    )
    .requiredOption("--principal <arn>", "the IAM role or user ARN asking")
    .requiredOption("--table <db.table>", "the table as the principal names it (a resource link or a table)")
    .option("--account <id>", "the account the table is named in (default: the principal's)")
    .option("--config <file>", configOptionHelp("the mesh section: how each account is reached"))
    .option("--json", "machine-readable output on stdout")
    .action(async (options: ExplainOptions) => explainCommand(options));
}

async function meshSpec(flag: string | undefined): Promise<MeshSpec> {
  const loaded = await loadCliConfig(flag);
  if (!loaded) throw new CliError("mesh: no config file: pass --config or create ./lakesync.config.json");
  if (!loaded.config.mesh) throw new CliError(`${loaded.file}: mesh: the config has no mesh section`);
  const mesh = loaded.config.mesh;
  const crawls = mesh.producers.some((p) => p.crawlers.length > 0);
  // The crawler role is the central stack's, named from the config (modules/deploy/naming.ts).
  return meshSpecOf(
    mesh,
    undefined,
    crawls ? { crawlerRoleArn: meshCrawlerRoleArn(loaded.config, mesh) } : {},
  );
}

async function meshCommand(mode: "plan" | "apply" | "status", options: MeshOptions): Promise<void> {
  const spec = await meshSpec(options.config);
  const aws = new MeshWiring(allClients);
  try {
    const prune = options.prune ?? false;
    let run: MeshRun;
    try {
      run = await reconcileMesh(spec, aws.meshPorts(), { prune, dryRun: mode !== "apply" });
    } catch (error) {
      if (error instanceof MeshPlanError) throw new CliError(error.message);
      throw error;
    }
    print(mode, run, options);
    const failed = run.report?.summary.failed ?? 0;
    if (failed > 0) process.exitCode = ExitCode.error;
    else if (mode === "status" && run.plan.operations.length > 0) process.exitCode = ExitCode.different;
  } finally {
    aws.destroy();
  }
}

function print(mode: "plan" | "apply" | "status", run: MeshRun, options: MeshOptions): void {
  const { plan, report } = run;
  if (options.json) {
    write(
      JSON.stringify(
        {
          mode,
          prune: options.prune ?? false,
          inPlace: plan.operations.length === 0,
          accounts: plan.accounts.map((a) => ({
            account: a.account,
            role: a.role,
            operations: a.operations.map((op) => ({
              operation: op.operation,
              description: op.description,
              idempotency: op.idempotency,
            })),
          })),
          ...(report ? { summary: report.summary } : {}),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (mode === "status") {
    for (const a of plan.accounts) {
      const n = a.operations.length;
      write(`${a.role} ${a.account}: ${n === 0 ? "in place" : `${n} operation(s) to apply`}`);
    }
    write(plan.operations.length === 0 ? "mesh in place" : "mesh drifted: run `lakesync mesh apply`");
    return;
  }
  write(`mesh ${mode}${options.prune ? " (prune)" : ""}: ${plan.accounts.length} account(s)`);
  for (const line of planSummary(plan.operations).lines) write(`  ${line}`);
  if (!report) {
    write(
      mode === "plan"
        ? `mesh plan: ${plan.operations.length} operation(s) planned, nothing changed`
        : "mesh apply: nothing to do",
    );
    return;
  }
  const s = report.summary;
  write(
    `  result: ${s.applied} applied, ${s.noop} unchanged, ${s.skipped} skipped, ${s.unsupported} unsupported, ${s.failed} failed`,
  );
  for (const { operation, outcome } of report.results) {
    if (outcome.status === "failed") write(`    failed: ${operation.description}: ${outcome.reason}`);
    if (outcome.status === "skipped") write(`    skipped: ${operation.description}: ${outcome.reason}`);
  }
  write(
    s.failed > 0
      ? `mesh apply finished with ${s.failed} failed operation(s)`
      : `mesh apply finished: ${s.total} operation(s)`,
  );
}

function question(options: ExplainOptions): ExplainQuestion {
  const principalAccount = accountOfPrincipal(options.principal);
  if (!principalAccount || !options.principal.startsWith("arn:")) {
    throw new CliError(
      `--principal: expected an IAM role or user ARN, got ${JSON.stringify(options.principal)}`,
    );
  }
  const [database, table, ...rest] = options.table.split(".");
  if (!database || !table || rest.length > 0) {
    throw new CliError(`--table: expected DB.TABLE, got ${JSON.stringify(options.table)}`);
  }
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new CliError(`--account: expected a 12-digit account id, got ${JSON.stringify(options.account)}`);
  }
  return {
    principal: options.principal,
    principalAccount,
    asked: { account: options.account ?? principalAccount, database, table },
  };
}

async function explainCommand(options: ExplainOptions): Promise<void> {
  const asked = question(options);
  const config = await loadCliConfig(options.config);
  const spec = config?.config.mesh ? meshSpecOf(config.config.mesh) : undefined;
  const region = spec?.central.region ?? process.env.AWS_REGION ?? "us-east-1";
  // With a mesh config each account is reached through its role; without, with the caller's credentials.
  const locate = (account: string) => (spec ? locateAccount(spec, account) : { account, region });
  const aws = new MeshWiring(allClients);
  try {
    const explanation = explainAccess(await readExplainFacts(aws.clients, locate, asked));
    if (options.json) write(JSON.stringify(explanation, null, 2));
    else for (const line of explanationLines(explanation)) write(line);
    if (!explanation.allowed) process.exitCode = ExitCode.different;
  } finally {
    aws.destroy();
  }
}
