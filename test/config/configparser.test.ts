import { describe, expect, it } from "vitest";
import { IniError, iniBoolean, iniValue, parseIni } from "../../modules/config/import/configparser.ts";

describe("parseIni (Python configparser semantics)", () => {
  const text = [
    "# comment",
    "[DEFAULT]",
    "bucket = shared-bucket",
    "",
    "[AwsDataCatalog]",
    "; another comment",
    "Source_Region : us-east-1",
    "backup_file_folder = backups",
    "s3_data_path = s3://%(bucket)s/%(backup_file_folder)s/file.json",
    "percent = 100%%",
    "S3BucketMapping = {'a-bucket':",
    "    'b-bucket'}",
    "empty =",
  ].join("\n");

  it("reads sections, both delimiters, comments, continuation lines and empty values", () => {
    const ini = parseIni(text);
    expect(ini.defaults).toEqual({ bucket: "shared-bucket" });
    expect(ini.sections.AwsDataCatalog).toEqual({
      source_region: "us-east-1",
      backup_file_folder: "backups",
      s3_data_path: "s3://%(bucket)s/%(backup_file_folder)s/file.json",
      percent: "100%%",
      s3bucketmapping: "{'a-bucket':\n'b-bucket'}",
      empty: "",
    });
    expect(ini.spelling.AwsDataCatalog?.s3bucketmapping).toBe("S3BucketMapping");
  });

  it("looks options up case-insensitively, falls back to DEFAULT and interpolates", () => {
    const ini = parseIni(text);
    expect(iniValue(ini, "AwsDataCatalog", "SOURCE_REGION")).toBe("us-east-1");
    expect(iniValue(ini, "AwsDataCatalog", "bucket")).toBe("shared-bucket");
    expect(iniValue(ini, "AwsDataCatalog", "s3_data_path")).toBe("s3://shared-bucket/backups/file.json");
    expect(iniValue(ini, "AwsDataCatalog", "percent")).toBe("100%");
    expect(iniValue(ini, "AwsDataCatalog", "missing")).toBeUndefined();
    expect(iniValue(ini, "NoSuchSection", "bucket")).toBeUndefined();
  });

  it("rejects what configparser rejects", () => {
    expect(() => parseIni("key = value")).toThrow(
      new IniError('option outside any [section]: "key = value"', 1),
    );
    expect(() => parseIni("[a]\nx = 1\nx = 2")).toThrow(new IniError('option "x" appears twice in [a]', 3));
    expect(() => parseIni("[a]\n[a]")).toThrow(new IniError("section [a] appears twice", 2));
    expect(() => parseIni("[a]\njust words")).toThrow(
      new IniError('expected "key = value", got "just words"', 2),
    );
    const ini = parseIni("[a]\npath = %(nope)s");
    expect(() => iniValue(ini, "a", "path")).toThrow(
      "[a] path: %(nope)s refers to an option that does not exist",
    );
  });

  it("reads booleans like getboolean", () => {
    expect(["True", "yes", "on", "1"].map(iniBoolean)).toEqual([true, true, true, true]);
    expect(["False", "NO", "off", "0"].map(iniBoolean)).toEqual([false, false, false, false]);
    expect(iniBoolean("Tru")).toBeUndefined();
  });
});
