// `lakesync … | head`: the reader closing the pipe early ends the command quietly with exit 0
// (it used to crash with an unhandled EPIPE and exit 1). plan-event of a 3,000-record log file
// prints enough lines to outlast the pipe, and makes no AWS call.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("exits 0 without a word on stderr when stdout's reader goes away", async () => {
  const record = JSON.parse(readFileSync("test/fixtures/cloudtrail/CreateDatabase.json", "utf8"));
  const file = join(mkdtempSync(join(tmpdir(), "lakesync-pipe-")), "log.json");
  const records = Array.from({ length: 3000 }, (_, i) => ({
    ...record,
    eventID: `e${String(i).padStart(8, "0")}`,
  }));
  writeFileSync(file, JSON.stringify({ Records: records }));

  const child = spawn(process.execPath, ["scripts/lakesync.mjs", "plan-event", "--event", file], {
    cwd: process.cwd(),
    env: process.env,
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // Like `head -1`: read the first chunk, then close the pipe.
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.stdout.destroy();
  expect(await exited).toBe(0);
  expect(stderr).toBe("");
});
