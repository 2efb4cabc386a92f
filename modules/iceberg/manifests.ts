// Record-level rewrite of manifest lists and manifests. Fields are found by their Iceberg field
// id in the file's own Avro schema (spec: manifest_path 500, data_file 2, file_path 100,
// content 134, referenced_data_file 143), so any format version's layout is handled alike.
import type { AvroContainer } from "./avro-container.ts";
import { UnsupportedIcebergTable } from "./errors.ts";

const fieldIds = {
  status: 0,
  manifestPath: 500,
  dataFile: 2,
  filePath: 100,
  fileContent: 134,
  fileFormat: 101,
  referencedDataFile: 143,
} as const;

/** manifest_entry.status (spec): 0 existing, 1 added, 2 deleted. */
const deletedStatus = 2;

/** data_file.content (spec): 0 data, 1 position deletes (files or deletion vectors), 2 equality deletes. */
export const fileContent = { data: 0, positionDeletes: 1, equalityDeletes: 2 } as const;

interface AvroField {
  name: string;
  type: unknown;
  "field-id"?: number;
}

function fieldsOf(schema: unknown): AvroField[] {
  const fields = (schema as { fields?: unknown }).fields;
  return Array.isArray(fields) ? (fields as AvroField[]) : [];
}

function fieldName(schema: unknown, id: number): string | undefined {
  return fieldsOf(schema).find((field) => field["field-id"] === id)?.name;
}

function requiredField(schema: unknown, id: number, fileUri: string): AvroField {
  const field = fieldsOf(schema).find((candidate) => candidate["field-id"] === id);
  if (!field) throw new UnsupportedIcebergTable(`${fileUri} has no field with Iceberg field id ${id}`);
  return field;
}

type AvroRecord = Record<string, unknown>;

/** The manifests a manifest list names. */
export function manifestPaths(container: AvroContainer, fileUri: string): string[] {
  const name = requiredField(container.schema, fieldIds.manifestPath, fileUri).name;
  return container.records.map((record) => String((record as AvroRecord)[name]));
}

/** Points each manifest list entry at its manifest's rewritten copy; all other fields stay. */
export function rewriteManifestList(
  container: AvroContainer,
  fileUri: string,
  rewrittenManifest: (path: string) => string,
): AvroContainer {
  const name = requiredField(container.schema, fieldIds.manifestPath, fileUri).name;
  const records = container.records.map((record) => {
    const entry = record as AvroRecord;
    entry[name] = rewrittenManifest(String(entry[name]));
    return entry;
  });
  return { ...container, records };
}

/**
 * Maps the data and delete file paths of every manifest entry (`file_path`, and
 * `referenced_data_file` of v3 delete files). Returns the mapped paths of its live entries (not
 * the ones it marks deleted). Position-delete
 * files and deletion vectors name data files inside their own content, which this engine does not
 * rewrite yet: a manifest with one makes the table unsupported.
 */
export function rewriteManifest(
  container: AvroContainer,
  fileUri: string,
  map: (path: string) => string,
): { container: AvroContainer; files: string[] } {
  const status = requiredField(container.schema, fieldIds.status, fileUri).name;
  const dataFile = requiredField(container.schema, fieldIds.dataFile, fileUri);
  const filePath = requiredField(dataFile.type, fieldIds.filePath, fileUri).name;
  const content = fieldName(dataFile.type, fieldIds.fileContent);
  const format = fieldName(dataFile.type, fieldIds.fileFormat);
  const referenced = fieldName(dataFile.type, fieldIds.referencedDataFile);
  const files: string[] = [];
  const records = container.records.map((record) => {
    const entry = record as AvroRecord;
    const file = entry[dataFile.name] as AvroRecord;
    const path = String(file[filePath]);
    if (content && Number(file[content]) === fileContent.positionDeletes) {
      const kind =
        format && String(file[format]).toUpperCase() === "PUFFIN"
          ? "deletion vector"
          : "position-delete file";
      throw new UnsupportedIcebergTable(
        `${fileUri} names the ${kind} ${path}, which names data files inside it; rewriting it is not supported yet`,
      );
    }
    file[filePath] = map(path);
    if (Number(entry[status]) !== deletedStatus) files.push(String(file[filePath]));
    if (referenced && typeof file[referenced] === "string")
      file[referenced] = map(file[referenced] as string);
    return entry;
  });
  return { container: { ...container, records }, files };
}

/** Paths of the files a manifest tracks as live (existing or added; not deleted entries). */
export function liveFilePaths(container: AvroContainer, fileUri: string): string[] {
  const status = requiredField(container.schema, fieldIds.status, fileUri).name;
  const dataFile = requiredField(container.schema, fieldIds.dataFile, fileUri);
  const filePath = requiredField(dataFile.type, fieldIds.filePath, fileUri).name;
  return container.records
    .map((record) => record as AvroRecord)
    .filter((entry) => Number(entry[status]) !== deletedStatus)
    .map((entry) => String((entry[dataFile.name] as AvroRecord)[filePath]));
}
