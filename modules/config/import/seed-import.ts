// Converts the seeds' INI files into a lakesync.config.json draft: the realtime
// `glue-lf-config.conf` ([AwsDataCatalog] only) and the batch `glue_config.conf`. Every option of
// both formats is either mapped or listed as unmapped with the reason, and so is every required
// field the seeds cannot provide (they have no account ids). Pure: text in, draft + report out.
import { checkConfig } from "../load.ts";
import { type IniFile, iniBoolean, iniValue, parseIni } from "./configparser.ts";
import { type PythonValue, parsePythonLiteral } from "./python-literal.ts";

export interface UnmappedOption {
  /** `Section.option` of the seed file, or the lakesync field the draft still lacks. */
  key: string;
  reason: string;
}

export interface SeedImport {
  format: "realtime" | "batch" | "mesh";
  /** The draft, as it would be written to lakesync.config.json (defaults left out). */
  config: Record<string, unknown>;
  unmapped: UnmappedOption[];
  /** Whether the draft passes `lakesync config validate` as is. */
  valid: boolean;
}

export class SeedImportError extends Error {
  override name = "SeedImportError";
}

const catalogSection = "AwsDataCatalog";
const batchSections = ["Operation", "Target_s3_update", "ListCatalog", "LakeFormationPermissions"];

interface Draft {
  $schema: string;
  source: Record<string, unknown>;
  targets: Record<string, unknown>[];
  mapping?: { buckets: Record<string, string> };
  realtime?: Record<string, unknown>;
  batch: Record<string, unknown>;
}

export function importSeedConfig(text: string): SeedImport {
  const ini = parseIni(text);
  if (!ini.sections[catalogSection]) {
    throw new SeedImportError(
      `not a seed config file: it has no [${catalogSection}] section (expected glue-lf-config.conf or glue_config.conf)`,
    );
  }
  const format =
    batchSections.some((s) => ini.sections[s]) || has(ini, catalogSection, "backup_file_bucket")
      ? "batch"
      : "realtime";
  const reader = new SeedReader(ini);
  const draft: Draft = { $schema: "./lakesync.config.schema.json", source: {}, targets: [{}], batch: {} };
  const target = draft.targets[0]!;

  const sourceRegion = reader.take(catalogSection, "source_region");
  if (sourceRegion) draft.source.region = sourceRegion;
  const targetRegion = reader.take(catalogSection, "destination_region");
  target.name = targetRegion ? `dr-${targetRegion}` : "dr";
  if (targetRegion) target.region = targetRegion;

  importRealtimeOptions(reader, draft);
  importBatchOptions(reader, draft);
  reader.reportLeftovers();

  const unmapped = [...reader.unmapped, ...missingRequired(draft, format)];
  const config = draftConfig(draft);
  const check = checkConfig(config);
  if (!check.ok) {
    const reported = new Set(unmapped.map((u) => u.key));
    for (const issue of check.issues.filter((i) => !reported.has(i.path))) {
      unmapped.push({ key: issue.path, reason: `invalid after import: ${issue.message}` });
    }
  }
  return { format, config, unmapped, valid: check.ok };
}

function has(ini: IniFile, section: string, key: string): boolean {
  return Object.hasOwn(ini.sections[section] ?? {}, key);
}

/** Reads options, remembering which ones were used, so the rest can be reported. */
class SeedReader {
  readonly unmapped: UnmappedOption[] = [];
  private readonly used = new Set<string>();

  constructor(readonly ini: IniFile) {}

  /** The option's display name, as spelled in the file. */
  name(section: string, key: string): string {
    return `${section}.${this.ini.spelling[section]?.[key] ?? key}`;
  }

  has(section: string, key: string): boolean {
    const options = section === "DEFAULT" ? this.ini.defaults : this.ini.sections[section];
    return Object.hasOwn(options ?? {}, key);
  }

  /** An option's own value (interpolated), marking it used; undefined when absent. */
  take(section: string, key: string): string | undefined {
    if (!this.has(section, key)) return undefined;
    this.used.add(`${section}\0${key}`);
    return iniValue(this.ini, section, key);
  }

  skip(section: string, key: string, reason: string): void {
    if (this.take(section, key) === undefined) return;
    this.unmapped.push({ key: this.name(section, key), reason });
  }

  boolean(section: string, key: string): boolean | undefined {
    const raw = this.take(section, key);
    if (raw === undefined) return undefined;
    const value = iniBoolean(raw);
    if (value === undefined) {
      this.unmapped.push({
        key: this.name(section, key),
        reason: `expected True or False (or yes/no, on/off, 1/0), got ${JSON.stringify(raw)}`,
      });
    }
    return value;
  }

  literal(section: string, key: string): PythonValue | undefined {
    const raw = this.take(section, key);
    if (raw === undefined) return undefined;
    try {
      return parsePythonLiteral(raw);
    } catch (error) {
      this.unmapped.push({
        key: this.name(section, key),
        reason: `not a valid Python literal (${(error as Error).message}): ${raw}`,
      });
      return undefined;
    }
  }

  /** A Python dict of strings → strings (bucket maps), or undefined after reporting why not. */
  stringMap(section: string, key: string): Record<string, string> | undefined {
    const value = this.literal(section, key);
    if (value === undefined) return undefined;
    if (!isPlainDict(value) || Object.values(value).some((v) => typeof v !== "string")) {
      this.unmapped.push({
        key: this.name(section, key),
        reason: "expected a dict of source bucket → target bucket names, like {'src-bucket': 'dst-bucket'}",
      });
      return undefined;
    }
    return value as Record<string, string>;
  }

  /** A Python list of strings, or undefined after reporting why not. */
  stringList(section: string, key: string, expected: string): string[] | undefined {
    const value = this.literal(section, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      this.unmapped.push({ key: this.name(section, key), reason: `expected ${expected}` });
      return undefined;
    }
    return value as string[];
  }

  /** Every option nobody took is reported: unknown to both seed formats. */
  reportLeftovers(): void {
    const all: [string, Record<string, string>][] = [
      ["DEFAULT", this.ini.defaults],
      ...Object.entries(this.ini.sections),
    ];
    for (const [section, options] of all) {
      for (const key of Object.keys(options)) {
        if (this.used.has(`${section}\0${key}`)) continue;
        this.unmapped.push({
          key: this.name(section, key),
          reason: "unknown option: not part of either seed config format, so it has no lakesync equivalent",
        });
      }
    }
  }
}

function isPlainDict(value: PythonValue | undefined): value is { [key: string]: PythonValue } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** §1.3: the realtime seed's [AwsDataCatalog] options beyond the regions. */
function importRealtimeOptions(reader: SeedReader, draft: Draft): void {
  const hours = reader.take(catalogSection, "cloudtrail_lookup_hour_duration");
  if (hours !== undefined) {
    const name = reader.name(catalogSection, "cloudtrail_lookup_hour_duration");
    const minutes = Math.round(Number(hours) * 60);
    if (hours.trim() === "" || !Number.isFinite(minutes) || minutes <= 0) {
      reader.unmapped.push({
        key: name,
        reason: `expected a positive number of hours, got ${JSON.stringify(hours)}`,
      });
    } else if (minutes < 20 || minutes > 1440) {
      const used = Math.min(Math.max(minutes, 20), 1440);
      draft.realtime = { lookbackMinutes: used };
      reader.unmapped.push({
        key: name,
        reason: `${hours} h is ${minutes} min; realtime.lookbackMinutes must be 20–1440 (poll interval + CloudTrail's 15 min delivery delay, at most a day), so ${used} was used`,
      });
    } else {
      draft.realtime = { lookbackMinutes: minutes };
    }
  }
  const buckets = reader.stringMap(catalogSection, "s3bucketmapping");
  if (buckets) draft.mapping = { buckets: { ...draft.mapping?.buckets, ...buckets } };
}

/** §2.3: the batch seed's options. */
function importBatchOptions(reader: SeedReader, draft: Draft): void {
  reader.skip(
    "DEFAULT",
    "aws_region_list",
    "documentation only in the seed (never checked); lakesync validates region names itself",
  );

  const syncCatalog = reader.boolean("Operation", "sync_glue_catalog");
  if (syncCatalog !== undefined) draft.batch.syncCatalog = syncCatalog;
  const syncPermissions = reader.boolean("Operation", "sync_lf_permissions");
  if (syncPermissions !== undefined) draft.batch.syncPermissions = syncPermissions;
  const deletes = reader.boolean("Operation", "delete_target_catalog_objects");
  if (deletes === false) draft.batch.deleteSync = false;
  if (deletes === true) {
    draft.batch.deleteSync = false;
    reader.unmapped.push({
      key: reader.name("Operation", "delete_target_catalog_objects"),
      reason:
        "the seed only printed the differences and never deleted anything; lakesync's batch.deleteSync really deletes target-only objects, so it was left false: set it to true deliberately",
    });
  }

  // The code reads the bucket map from [AwsDataCatalog]; the seed README puts it under
  // [Target_s3_update]. Both are accepted; the code's location wins when both are present.
  const applyBuckets = reader.boolean("Target_s3_update", "update_table_s3_location");
  const fromCode = reader.has(catalogSection, "target_s3_locations");
  const fromReadme = reader.has("Target_s3_update", "target_s3_locations");
  const [section, other] = fromCode
    ? [catalogSection, "Target_s3_update"]
    : ["Target_s3_update", catalogSection];
  if (fromCode && fromReadme) {
    reader.skip(
      other,
      "target_s3_locations",
      `the seed code reads ${catalogSection}.target_s3_locations, so this copy (the README's location) was ignored`,
    );
  }
  if (applyBuckets === false) {
    reader.skip(
      section,
      "target_s3_locations",
      "Target_s3_update.update_table_s3_location is False, so the seed kept source locations; the bucket map was not imported (move it into mapping.buckets to use it)",
    );
  } else {
    const buckets = reader.stringMap(section, "target_s3_locations");
    if (buckets) draft.mapping = { buckets: { ...draft.mapping?.buckets, ...buckets } };
  }

  const datasources = reader.stringList(
    "ListCatalog",
    "list_datasource",
    "a list of catalog names, like ['AwsDataCatalog']",
  );
  const others = (datasources ?? []).filter((d) => d !== catalogSection);
  if (others.length > 0) {
    reader.unmapped.push({
      key: reader.name("ListCatalog", "list_datasource"),
      reason: `only the ${catalogSection} catalog is replicated (the seed also read its regions from [${catalogSection}]); ignored: ${others.join(", ")}`,
    });
  }

  importBackupLocation(reader, draft);

  const databases = reader.stringList(
    catalogSection,
    "database_list",
    "a list of database names, or ['ALL_DATABASE']",
  );
  if (databases) {
    if (databases.includes("ALL_DATABASE")) {
      draft.batch.databases = "all";
      if (databases.length > 1) {
        reader.unmapped.push({
          key: reader.name(catalogSection, "database_list"),
          reason: `ALL_DATABASE selects every database, so the other names were dropped: ${databases.filter((d) => d !== "ALL_DATABASE").join(", ")}`,
        });
      }
    } else if (databases.length === 0) {
      reader.unmapped.push({
        key: reader.name(catalogSection, "database_list"),
        reason: 'empty list; "all" is used',
      });
    } else {
      draft.batch.databases = databases;
    }
  }

  reader.skip(
    catalogSection,
    "s3_location",
    "described in the seed README but never read by its code; no equivalent",
  );
  const lfBucket = reader.take("LakeFormationPermissions", "lf_storage_bucket");
  const lfReason =
    "lakesync stores Lake Formation permissions inside each backup under batch.backupBucket/backupPrefix; a separate permissions export has no equivalent";
  if (lfBucket !== undefined) {
    const elsewhere =
      lfBucket !== draft.batch.backupBucket ? ` (the seed wrote them to bucket ${lfBucket})` : "";
    reader.unmapped.push({
      key: reader.name("LakeFormationPermissions", "lf_storage_bucket"),
      reason: lfReason + elsewhere,
    });
  }
  reader.skip("LakeFormationPermissions", "lf_storage_file_folder", lfReason);
  reader.skip("LakeFormationPermissions", "lf_storage_file_name", lfReason);
}

/** backup_file_bucket/folder/filename, and s3_data_path (what the seed code actually wrote to). */
function importBackupLocation(reader: SeedReader, draft: Draft): void {
  const bucket = reader.take(catalogSection, "backup_file_bucket");
  const folder = reader.take(catalogSection, "backup_file_folder");
  const dataPath = reader.take(catalogSection, "s3_data_path");
  const fromPath = dataPath === undefined ? undefined : /^s3:\/\/([^/]+)\/(.*)$/.exec(dataPath.trim());
  if (dataPath !== undefined && !fromPath) {
    reader.unmapped.push({
      key: reader.name(catalogSection, "s3_data_path"),
      reason: `expected s3://bucket/folder/file, got ${JSON.stringify(dataPath)}`,
    });
  }
  const backupBucket = fromPath?.[1] ?? bucket;
  const key = fromPath?.[2];
  const prefix =
    key !== undefined ? key.slice(0, key.lastIndexOf("/") + 1) : folder !== undefined ? folder : undefined;
  if (backupBucket) draft.batch.backupBucket = backupBucket;
  if (prefix !== undefined) {
    const trimmed = prefix.replace(/^\/+|\/+$/g, "");
    draft.batch.backupPrefix = trimmed ? `${trimmed}/` : "";
  }
  reader.skip(
    catalogSection,
    "backup_file_filename",
    "lakesync names each backup itself (a timestamped snapshot under batch.backupPrefix, the last batch.keepBackups kept); a fixed file name has no equivalent",
  );
}

function missingRequired(draft: Draft, format: "realtime" | "batch"): UnmappedOption[] {
  const missing: UnmappedOption[] = [
    {
      key: "source.account",
      reason:
        "required, and the seed files have no account ids (the seeds ran inside the source account): set the source's 12-digit account id",
    },
    {
      key: "targets[0].account",
      reason:
        "required, and the seed files have no account ids (the seeds replicated within one account): set it to the source account for a same-account DR copy, or to the DR account",
    },
  ];
  if (!draft.source.region) {
    missing.push({
      key: "source.region",
      reason: `required: ${catalogSection}.source_region was not in the file`,
    });
  }
  if (!draft.targets[0]!.region) {
    missing.push({
      key: "targets[0].region",
      reason: `required: ${catalogSection}.destination_region was not in the file`,
    });
  }
  if (!draft.batch.backupBucket) {
    missing.push({
      key: "batch.backupBucket",
      reason:
        format === "realtime"
          ? "required, and the realtime seed made no backups: name the S3 bucket for lakesync's catalog backups"
          : `required: ${catalogSection}.backup_file_bucket was not in the file`,
    });
  }
  return missing;
}

/** Orders the draft like the example file and leaves out sections the seed said nothing about. */
function draftConfig(draft: Draft): Record<string, unknown> {
  return {
    $schema: draft.$schema,
    source: draft.source,
    targets: draft.targets,
    ...(draft.mapping && { mapping: draft.mapping }),
    ...(draft.realtime && { realtime: draft.realtime }),
    batch: draft.batch,
  };
}
