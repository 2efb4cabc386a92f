// zod/mini, for the schemas a Lambda handler parses at cold start: its functional API lets esbuild
// keep only the checks a schema uses, where classic zod's methods bring all of zod (about 70 KB more
// of a bundle). Unlike classic zod, zod/mini sets no locale on import and every issue would read
// "Invalid input"; this module sets the English messages classic zod sets. Import it as
// `import * as z from ".../config/zod-mini.ts"` (a namespace import, for the same reason as zod's).
import { en } from "zod/locales";
import { config } from "zod/mini";

config(en());

export * from "zod/mini";
