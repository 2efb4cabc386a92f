// Writes aws-regions.ts from the partitions data the installed AWS SDK ships
// (@aws-sdk/core's util-endpoints), so `config validate` and the flags check a region against the
// partition's real list without importing the SDK into modules/config (which stays pure).
// Run: npx tsx modules/config/write-aws-regions.ts  (test/config/aws-regions.test.ts checks it is current)
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderAwsRegions, sdkPartitions } from "./sdk-partitions.ts";

const out = fileURLToPath(new URL("./aws-regions.ts", import.meta.url));
writeFileSync(out, renderAwsRegions(await sdkPartitions()));
process.stdout.write(`wrote ${out}\n`);
