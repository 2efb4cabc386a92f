import { describe, expect, it } from "vitest";
import { identityRules } from "../../modules/mapping/mapping.ts";
import {
  adminIds,
  mapDataLakeSettings,
  mapPrincipalPermissions,
  protectedAdminsNote,
  protectedAmong,
  settledAdmins,
} from "../../modules/mapping/settings.ts";
import { DST, rules, SRC } from "./rules.ts";

const principal = (id: string) => ({ DataLakePrincipalIdentifier: id });
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

describe("mapDataLakeSettings", () => {
  it("maps every principal field and the trusted owners; everything else is the same on both sides", () => {
    const settings = {
      DataLakeAdmins: [principal(role(SRC, "LakeAdmin")), principal(role(SRC, "Analyst"))],
      ReadOnlyAdmins: [principal(role(SRC, "Auditor"))],
      CreateDatabaseDefaultPermissions: [
        { Principal: principal("IAM_ALLOWED_PRINCIPALS"), Permissions: ["ALL"] },
      ],
      CreateTableDefaultPermissions: [{ Principal: principal(role(SRC, "Etl")), Permissions: ["SELECT"] }],
      Parameters: { CROSS_ACCOUNT_VERSION: "4" },
      TrustedResourceOwners: [SRC, "333333333333", "555555555555"],
      AllowExternalDataFiltering: true,
      ExternalDataFilteringAllowList: [principal(SRC)],
      AuthorizedSessionTagValueList: ["Amazon EMR"],
      AllowFullTableExternalDataAccess: false,
    };
    expect(mapDataLakeSettings(settings, rules)).toEqual({
      DataLakeAdmins: [principal(role(DST, "LakeAdmin")), principal(role(DST, "DrAnalyst"))],
      ReadOnlyAdmins: [principal(role(DST, "Auditor"))],
      CreateDatabaseDefaultPermissions: [
        { Principal: principal("IAM_ALLOWED_PRINCIPALS"), Permissions: ["ALL"] },
      ],
      CreateTableDefaultPermissions: [{ Principal: principal(role(DST, "Etl")), Permissions: ["SELECT"] }],
      Parameters: { CROSS_ACCOUNT_VERSION: "4" },
      TrustedResourceOwners: [DST, "444444444444", "555555555555"],
      AllowExternalDataFiltering: true,
      ExternalDataFilteringAllowList: [principal(DST)],
      AuthorizedSessionTagValueList: ["Amazon EMR"],
      AllowFullTableExternalDataAccess: false,
    });
  });

  it("adds no field the settings leave out", () => {
    expect(mapDataLakeSettings({ DataLakeAdmins: [] }, rules)).toEqual({ DataLakeAdmins: [] });
  });

  it("maps default permission principals wherever they appear", () => {
    expect(
      mapPrincipalPermissions([{ Principal: principal(role(SRC, "Analyst")), Permissions: ["ALL"] }], rules),
    ).toEqual([{ Principal: principal(role(DST, "DrAnalyst")), Permissions: ["ALL"] }]);
  });
});

describe("protected admins", () => {
  const writer = role(DST, "lakesync-writer");
  const breakGlass = role(DST, "BreakGlass");
  const lakeAdmin = role(DST, "LakeAdmin");

  it("default to none", () => {
    expect(identityRules(SRC, "us-east-1").protectedAdmins).toEqual([]);
  });

  it("are picked out of an admin list in its order", () => {
    expect(
      protectedAmong([breakGlass, lakeAdmin, writer], { protectedAdmins: [writer, breakGlass] }),
    ).toEqual([breakGlass, writer]);
  });

  it("are kept when the target has them; every other admin follows the desired list", () => {
    expect(
      settledAdmins({
        current: [writer, role(DST, "Old"), breakGlass],
        desired: [lakeAdmin],
        keep: [writer, breakGlass],
      }),
    ).toEqual([lakeAdmin, writer, breakGlass]);
  });

  it("are not added when the target lacks them, and a desired one is listed once", () => {
    expect(settledAdmins({ current: [], desired: [lakeAdmin], keep: [writer] })).toEqual([lakeAdmin]);
    expect(settledAdmins({ current: [writer], desired: [writer, lakeAdmin], keep: [writer] })).toEqual([
      writer,
      lakeAdmin,
    ]);
  });

  it("reads admin ids from settings, ignoring malformed entries", () => {
    expect(adminIds({ DataLakeAdmins: [principal(writer), {}, "x"] })).toEqual([writer]);
    expect(adminIds(undefined)).toEqual([]);
  });

  it("are explained in one plan line", () => {
    expect(protectedAdminsNote([writer, breakGlass])).toBe(
      `keeps protected admins ${writer}, ${breakGlass} (lakesync's own roles or configured protectedAdmins)`,
    );
    expect(protectedAdminsNote([writer], { whenPresent: true })).toBe(
      `keeps protected admins ${writer} when present (lakesync's own roles or configured protectedAdmins)`,
    );
  });
});
