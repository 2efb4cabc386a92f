// EventBridge "AWS API Call via CloudTrail" envelopes for Glue table writes -> the table events the
// sync acts on. CloudTrail records requestParameters in camelCase (`tableInput.name`).
import { z } from "zod";

const TableInput = z.looseObject({ name: z.string().optional(), Name: z.string().optional() });

const GlueCallEnvelope = z.looseObject({
  id: z.string().optional(),
  source: z.string(),
  "detail-type": z.string(),
  detail: z.looseObject({
    eventName: z.string(),
    eventID: z.string().optional(),
    eventTime: z.string().optional(),
    errorCode: z.string().optional(),
    recipientAccountId: z.string().optional(),
    requestParameters: z
      .looseObject({
        catalogId: z.string().optional(),
        databaseName: z.string().optional(),
        name: z.string().optional(),
        tableInput: TableInput.optional(),
      })
      .nullish(),
  }),
});

export type GlueTableEventKind = "created" | "updated" | "deleted";

export interface GlueTableEvent {
  kind: GlueTableEventKind;
  eventId: string;
  database: string;
  table: string;
  /** Only when the caller named a catalog; otherwise the caller's own account's catalog. */
  catalogId?: string;
}

export type DecodedEvent = { ok: true; event: GlueTableEvent } | { ok: false; ignored: string };

const KINDS: Record<string, GlueTableEventKind> = {
  CreateTable: "created",
  UpdateTable: "updated",
  DeleteTable: "deleted",
};

export function decodeGlueTableEvent(envelope: unknown): DecodedEvent {
  const parsed = GlueCallEnvelope.safeParse(envelope);
  if (!parsed.success) return { ok: false, ignored: "not an EventBridge CloudTrail envelope" };
  const { detail } = parsed.data;
  if (parsed.data.source !== "aws.glue") return { ok: false, ignored: `source ${parsed.data.source}` };
  const kind = KINDS[detail.eventName];
  if (!kind) return { ok: false, ignored: `event ${detail.eventName} does not change a table definition` };
  if (detail.errorCode)
    return { ok: false, ignored: `the ${detail.eventName} call failed (${detail.errorCode})` };
  const parameters = detail.requestParameters ?? {};
  const table =
    kind === "deleted" ? parameters.name : (parameters.tableInput?.name ?? parameters.tableInput?.Name);
  if (!parameters.databaseName || !table) {
    return { ok: false, ignored: `${detail.eventName} without a database and table name` };
  }
  return {
    ok: true,
    event: {
      kind,
      eventId: detail.eventID ?? parsed.data.id ?? "unknown",
      database: parameters.databaseName,
      table,
      ...(parameters.catalogId ? { catalogId: parameters.catalogId } : {}),
    },
  };
}

/** The EventBridge rule pattern that feeds the sync: successful Glue table writes only. */
export const SNOWFLAKE_SYNC_EVENT_PATTERN = {
  source: ["aws.glue"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: {
    eventSource: ["glue.amazonaws.com"],
    eventName: ["CreateTable", "UpdateTable", "DeleteTable"],
    errorCode: [{ exists: false }],
  },
} as const;
