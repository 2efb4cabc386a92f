// The cross-account, cross-region rules the mapping unit tests share.
import type { MappingRules } from "../../modules/mapping/mapping.ts";

export const SRC = "111111111111";
export const DST = "222222222222";

export const rules: MappingRules = {
  sourceAccount: SRC,
  sourceRegion: "us-east-1",
  targetAccount: DST,
  targetRegion: "us-west-2",
  buckets: { "lake-east": "lake-west" },
  accounts: { "333333333333": "444444444444" },
  principals: { [`arn:aws:iam::${SRC}:role/Analyst`]: `arn:aws:iam::${DST}:role/DrAnalyst` },
  filters: { include: [], exclude: ["scratch", "sales.tmp_*"] },
  protectedAdmins: [],
};
