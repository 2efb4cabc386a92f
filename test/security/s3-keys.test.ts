// S3 keys built from names that come from outside (catalog names, CloudTrail eventIDs, a
// backup's manifest, a flag) cannot leave their prefix: property tests over hostile strings
// (../, slashes, newlines, unicode) against every key builder.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backupFolder, backupId, normalisePrefix, sourceFolder } from "../../modules/backup/layout.ts";
import { PathMapper, rewrittenFolder } from "../../modules/iceberg/paths.ts";
import { recordObjectKey } from "../../modules/journal/keys.ts";

/** Strings a hostile catalog or record may hold: path pieces, separators, controls, unicode. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc
    .array(fc.constantFrom("..", ".", "/", "\\", "\n", "%2F", "a", "é", "\u202e", " ", "%"), { maxLength: 8 })
    .map((parts) => parts.join("")),
);

const noDotSegments = (key: string) => key.split("/").every((s) => s !== "." && s !== "..");

describe("S3 keys from hostile names", () => {
  it("a backup folder is <prefix><12-digit account>/<region>/<backup id>/, or refused", () => {
    fc.assert(
      fc.property(
        hostile,
        hostile,
        hostile,
        fc.constantFrom("", "dr/", "lakesync/backups/"),
        (account, region, id, prefix) => {
          let folder: string;
          try {
            folder = backupFolder(prefix, { account, region }, id);
          } catch {
            return; // refused: no key built
          }
          expect(folder.startsWith(normalisePrefix(prefix))).toBe(true);
          const rest = folder.slice(normalisePrefix(prefix).length);
          expect(rest).toMatch(/^\d{12}\/[a-z0-9-]+\/\d{8}T\d{9}Z\/$/);
        },
      ),
    );
  });

  it("a hostile prefix is refused, never resolved into another folder", () => {
    fc.assert(
      fc.property(hostile, (prefix) => {
        const source = { account: "111122223333", region: "us-east-1" };
        try {
          const folder = sourceFolder(prefix, source);
          expect(noDotSegments(folder)).toBe(true);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
          expect(folder).not.toMatch(/[\u0000-\u001f]/);
          expect(folder.endsWith("111122223333/us-east-1/")).toBe(true);
        } catch (error) {
          expect((error as Error).message).toMatch(/^backup prefix: /);
        }
      }),
    );
    expect(() => sourceFolder("../../other/", { account: "111122223333", region: "us-east-1" })).toThrow(
      /backup prefix: expected a key prefix without "\." or "\.\." segments/,
    );
    expect(backupFolder("dr/", { account: "111122223333", region: "us-east-1" }, backupId(new Date(0)))).toBe(
      "dr/111122223333/us-east-1/19700101T000000000Z/",
    );
  });

  it("a journal record's object key is one segment under journal/records/, whatever the eventID", () => {
    fc.assert(
      fc.property(hostile, (eventId) => {
        const key = recordObjectKey(eventId);
        expect(key.startsWith("journal/records/")).toBe(true);
        const name = key.slice("journal/records/".length);
        expect(name).not.toContain("/");
        expect(noDotSegments(key)).toBe(true);
        expect(decodeURIComponent(name)).toBe(`${eventId}.json`);
      }),
    );
  });

  it("a rewritten Iceberg file stays beside its source file, under lakesync-dr/<hash>/", () => {
    const mapper = new PathMapper({ "lake-east": "lake-west" });
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 5 }), hostile, (folders, name) => {
        const folder = ["s3://lake-east", ...folders].join("/");
        const uri = mapper.rewrittenUri(`${folder}/${name.replaceAll("/", "_")}`, new Uint8Array([1, 2, 3]));
        const base = `${mapper.map(folder)}/${rewrittenFolder}/`;
        expect(uri.startsWith(base)).toBe(true);
        expect(uri.slice(base.length)).toMatch(/^[0-9a-f]{20}\/[^/]*$/);
        expect(uri.startsWith("s3://lake-west/")).toBe(true);
      }),
    );
  });
});
