// Iceberg table metadata JSON (format versions 1, 2 and 3): which files it names, and the same
// document with every path field rewritten. Parsed with lossless-json so 64-bit snapshot ids and
// every other number are written back exactly as they were read; fields this code does not know
// (refs, schemas, summaries, encryption keys, …) are kept untouched.
import { gunzipSync, gzipSync } from "node:zlib";
import { parse, stringify } from "lossless-json";
import { UnsupportedIcebergTable } from "./errors.ts";

/** The newest format version whose path fields this code knows. */
export const newestFormatVersion = 3;

/** Files a metadata document names, by where they are in the spec. */
export interface MetadataReferences {
  formatVersion: number;
  location: string;
  /** `snapshots[].manifest-list` (v2+, optional in v1). */
  manifestLists: string[];
  /** `snapshots[].manifests` (v1 snapshots without a manifest list). */
  manifests: string[];
  /** `metadata-log[].metadata-file`: the previous metadata files. */
  previousMetadata: string[];
  /** `statistics[].statistics-path` (Puffin) and `partition-statistics[].statistics-path`. */
  statistics: string[];
}

/** How each path is rewritten: files lakesync rewrote get their new URI, the rest are mapped. */
export interface MetadataPathRewrite {
  map(uri: string): string;
  /** The rewritten copy of a manifest list, v1 manifest or previous metadata file, if there is one. */
  rewritten(uri: string): string | undefined;
}

type Json = Record<string, unknown>;

/** Metadata files may be gzip-compressed; the spec's readers tell by the file name. */
const gzipMetadata = /(\.gz\.metadata\.json|\.metadata\.json\.gz)$/;

export function metadataFileText(uri: string, bytes: Uint8Array): string {
  return Buffer.from(gzipMetadata.test(uri) ? gunzipSync(bytes) : bytes).toString("utf8");
}

export function metadataFileBytes(uri: string, text: string): Uint8Array {
  return gzipMetadata.test(uri) ? gzipSync(text) : Buffer.from(text, "utf8");
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function strings(values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === "string");
}

export function parseTableMetadata(text: string, fileUri: string): Json {
  const document = parse(text);
  if (!isObject(document)) throw new UnsupportedIcebergTable(`${fileUri} is not a JSON object`);
  const version = Number(String(document["format-version"]));
  if (!Number.isInteger(version) || version < 1 || version > newestFormatVersion) {
    throw new UnsupportedIcebergTable(
      `${fileUri} has format-version ${String(document["format-version"])} (supported: 1 to ${newestFormatVersion})`,
    );
  }
  if (typeof document.location !== "string") {
    throw new UnsupportedIcebergTable(`${fileUri} has no location`);
  }
  return document;
}

export function metadataReferences(document: Json): MetadataReferences {
  const snapshots = list(document.snapshots);
  return {
    formatVersion: Number(String(document["format-version"])),
    location: String(document.location),
    manifestLists: strings(snapshots.map((snapshot) => snapshot["manifest-list"])),
    manifests: strings(
      snapshots.flatMap((snapshot) => (Array.isArray(snapshot.manifests) ? snapshot.manifests : [])),
    ),
    previousMetadata: strings(list(document["metadata-log"]).map((entry) => entry["metadata-file"])),
    statistics: strings(
      [...list(document.statistics), ...list(document["partition-statistics"])].map(
        (entry) => entry["statistics-path"],
      ),
    ),
  };
}

/**
 * The document with every path field rewritten: `location`, snapshot manifest lists and v1
 * manifests, metadata-log entries, statistics and partition statistics files, and table properties
 * whose value is an s3 path (`write.data.path`, `write.metadata.path`,
 * `write.object-storage.path`, `write.folder-storage.path`, …). Refs, the snapshot log and
 * everything else stay as they are.
 */
export function rewriteTableMetadata(document: Json, paths: MetadataPathRewrite): string {
  const rewriteFile = (uri: unknown) =>
    typeof uri === "string" ? (paths.rewritten(uri) ?? paths.map(uri)) : uri;
  const mapPath = (uri: unknown) => (typeof uri === "string" ? paths.map(uri) : uri);
  const copy: Json = { ...document, location: mapPath(document.location) };
  if (isObject(document.properties)) {
    copy.properties = Object.fromEntries(
      Object.entries(document.properties).map(([key, value]) => [key, mapPath(value)]),
    );
  }
  if (Array.isArray(document.snapshots)) {
    copy.snapshots = list(document.snapshots).map((snapshot) => {
      const rewritten: Json = { ...snapshot };
      if ("manifest-list" in snapshot) rewritten["manifest-list"] = rewriteFile(snapshot["manifest-list"]);
      if (Array.isArray(snapshot.manifests)) rewritten.manifests = snapshot.manifests.map(rewriteFile);
      return rewritten;
    });
  }
  if (Array.isArray(document["metadata-log"])) {
    copy["metadata-log"] = list(document["metadata-log"]).map((entry) => ({
      ...entry,
      "metadata-file": rewriteFile(entry["metadata-file"]),
    }));
  }
  for (const field of ["statistics", "partition-statistics"]) {
    if (Array.isArray(document[field])) {
      copy[field] = list(document[field]).map((entry) => ({
        ...entry,
        "statistics-path": mapPath(entry["statistics-path"]),
      }));
    }
  }
  return stringify(copy) ?? "";
}
