// CloudTrail envelopes (as EventBridge delivers them) -> the table events the sync acts on.
import { describe, expect, it } from "vitest";
import { decodeGlueTableEvent } from "../../modules/snowflake/events.ts";

const envelope = (detail: object) => ({
  id: "envelope-1",
  source: "aws.glue",
  "detail-type": "AWS API Call via CloudTrail",
  detail: { eventSource: "glue.amazonaws.com", eventID: "event-1", ...detail },
});

describe("decodeGlueTableEvent", () => {
  it("turns a BatchDeleteTable into one delete per table Glue deleted", () => {
    const decoded = decodeGlueTableEvent(
      envelope({
        eventName: "BatchDeleteTable",
        requestParameters: {
          catalogId: "123456789012",
          databaseName: "sales__public",
          tablesToDelete: ["a", "b", "c"],
        },
        responseElements: {
          errors: [
            { tableName: "b", errorDetail: { errorCode: "EntityNotFoundException", errorMessage: "gone" } },
          ],
        },
      }),
    );
    expect(decoded).toEqual({
      ok: true,
      events: ["a", "c"].map((table) => ({
        kind: "deleted",
        eventId: "event-1",
        database: "sales__public",
        table,
        catalogId: "123456789012",
      })),
    });
  });

  it("ignores a BatchDeleteTable whose every entry failed, and one without tables", () => {
    expect(
      decodeGlueTableEvent(
        envelope({
          eventName: "BatchDeleteTable",
          requestParameters: { databaseName: "sales__public", tablesToDelete: ["a"] },
          responseElements: { errors: [{ tableName: "a" }] },
        }),
      ),
    ).toEqual({ ok: false, ignored: "the BatchDeleteTable call deleted no table (every entry failed)" });
    expect(
      decodeGlueTableEvent(
        envelope({ eventName: "BatchDeleteTable", requestParameters: { databaseName: "sales__public" } }),
      ),
    ).toEqual({ ok: false, ignored: "BatchDeleteTable without a database and table name" });
    expect(
      decodeGlueTableEvent(
        envelope({
          eventName: "BatchDeleteTable",
          errorCode: "AccessDenied",
          requestParameters: { databaseName: "sales__public", tablesToDelete: ["a"] },
        }),
      ),
    ).toEqual({ ok: false, ignored: "the BatchDeleteTable call failed (AccessDenied)" });
  });

  it("still decodes the single-table calls as one event", () => {
    const decoded = decodeGlueTableEvent(
      envelope({
        eventName: "UpdateTable",
        requestParameters: { databaseName: "d__s", tableInput: { name: "t" } },
      }),
    );
    expect(decoded).toEqual({
      ok: true,
      events: [{ kind: "updated", eventId: "event-1", database: "d__s", table: "t" }],
    });
  });
});
