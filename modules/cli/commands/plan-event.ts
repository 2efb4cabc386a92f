// `lakesync plan-event`: a dry run of the realtime path for one CloudTrail event (or a log file of
// them). Decodes, maps and plans exactly as the replicator does, and prints the operations it
// would send; no AWS call is made.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import type { Command } from "commander";
import { mappingRules } from "../../config/resolved-target.ts";
import type { LakesyncConfig } from "../../config/schema.ts";
import { replicatorRoleArn, resolveTargets, type TargetFlags } from "../../config/targets.ts";
import { commandInput } from "../../operations/runner.ts";
import { type CloudTrailRecord, parseCloudTrailInput } from "../../replication/cloudtrail-record.ts";
import { type Plan, planRecord } from "../../replication/planner.ts";
import { foreignSourceReason } from "../../replication/source-check.ts";
import { configOptionHelp, loadCliConfig } from "../config-file.ts";
import { CliError } from "../exit-codes.ts";
import { addReplicationMappingOptions } from "../flags.ts";
import { writeJson, writeLines } from "../render.ts";

interface PlanEventOptions extends TargetFlags {
  event: string;
  config?: string;
  json?: boolean;
}

export function registerPlanEvent(program: Command): void {
  addReplicationMappingOptions(program.command("plan-event"))
    .description(
      "dry run: print the target operations a CloudTrail event (bare record, EventBridge event, LookupEvents event or log file) would replay; no AWS calls",
    )
    .requiredOption("--event <file>", "the event JSON file, or - for stdin")
    .option("--config <file>", configOptionHelp("target, mapping, filters and replicator role"))
    .option("--target <name>", "the configured target to plan for (default: the first)")
    .option("--target-region <region>", "target region (default: the config target, else the event's region)")
    .option(
      "--target-account <account>",
      "target account (default: the config target, else the event's account)",
    )
    .option("--json", "print one JSON object per event (one line each)")
    .action(async (options: PlanEventOptions) => {
      const config = (await loadCliConfig(options.config))?.config;
      const records = parseInput(await readEvent(options.event), options.event);
      let failed = 0;
      for (const record of records) {
        const { target, rules, replicatorRoleArn } = resolve(record, config, options);
        // With a config, as the replicator decides: an event from another source plans nothing.
        const foreign = foreignSourceReason(record, config?.source);
        if (foreign) {
          const skipped: Plan = { outcome: "ignore", reason: foreign, operations: [] };
          if (options.json) writeJson(render(record, skipped));
          else writeLines(describe(record, skipped));
          continue;
        }
        const replicate = config?.replicate;
        let plan: Plan;
        try {
          plan = planRecord(record, target, rules, {
            ...(replicatorRoleArn ? { replicatorRoleArn } : {}),
            ...(replicate ? { replicate } : {}),
          });
        } catch (error) {
          // One event: its problem is the one line. A log file: a line per event, then the count.
          if (records.length === 1)
            throw new CliError(
              `${options.event === "-" ? "stdin" : options.event}: event ${record.eventID} (${record.eventName}): ${(error as Error).message}`,
            );
          failed += 1;
          writeLines(
            `lakesync: event ${record.eventID} (${record.eventName}): ${(error as Error).message}`,
            process.stderr,
          );
          continue;
        }
        if (options.json) writeJson(render(record, plan));
        else writeLines(describe(record, plan));
      }
      if (failed > 0) throw new CliError(`${failed} of ${records.length} event(s) could not be planned`);
    });
}

/** The file's text; a gzip file (a CloudTrail log file as S3 holds it, .json.gz) is unpacked. */
async function readEvent(file: string): Promise<string> {
  let bytes: Buffer;
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    bytes = Buffer.concat(chunks);
  } else {
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString("utf8");
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch (error) {
    throw new CliError(`${file}: not a complete gzip file (${(error as Error).message})`);
  }
}

function parseInput(text: string, file: string): CloudTrailRecord[] {
  const where = file === "-" ? "stdin" : file;
  let records: CloudTrailRecord[];
  try {
    records = parseCloudTrailInput(text);
  } catch (error) {
    throw new CliError(`${where}: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new CliError(`${where}: no CloudTrail records in it`);
  return records;
}

/**
 * One target, resolved as every command resolves targets (modules/config/targets.ts): the --target
 * one, else the first configured; without a config the event's own account and region.
 */
function resolve(record: CloudTrailRecord, config: LakesyncConfig | undefined, options: PlanEventOptions) {
  const eventSource = { account: record.recipientAccountId, region: record.awsRegion };
  const flags = { ...options, ...(config ? { target: options.target ?? config.targets[0]!.name } : {}) };
  const [target] = resolveTargets(config, flags, eventSource);
  return {
    target: target!.location,
    rules: mappingRules(target!, eventSource),
    replicatorRoleArn: replicatorRoleArn(config, options),
  };
}

function render(record: CloudTrailRecord, plan: Plan) {
  return {
    eventId: record.eventID,
    eventName: record.eventName,
    outcome: plan.outcome,
    ...(plan.reason ? { reason: plan.reason } : {}),
    operations: plan.operations.map((op) => ({
      region: op.target.region,
      account: op.target.account,
      service: op.service,
      operation: op.operation,
      input: commandInput(op.input),
    })),
  };
}

function describe(record: CloudTrailRecord, plan: Plan): string[] {
  const head = `${record.eventName} ${record.eventID}: ${plan.outcome}${plan.reason ? ` (${plan.reason})` : ""}`;
  const lines = plan.operations.map(
    (op) => `  ${op.target.account}/${op.target.region} ${op.service}:${op.operation} - ${op.description}`,
  );
  return [head, ...lines];
}
