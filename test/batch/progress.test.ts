// The CLI progress display: drawn on a terminal, silent with --json or when stderr is not a TTY.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgressDisplay } from "../../modules/cli/progress.ts";

function fakeStream(isTTY: boolean) {
  let written = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true },
  );
  return { stream, written: () => written };
}

describe("createProgressDisplay", () => {
  it("shows objects read with a rate, then operations done/total on a terminal", () => {
    const { stream, written } = fakeStream(true);
    let clock = 0;
    const display = createProgressDisplay({ stream, now: () => clock });
    display.update({ phase: "read", side: "source", records: 0 });
    clock = 2000;
    display.update({ phase: "read", side: "source", records: 400 });
    display.update({ phase: "apply", target: "dr-west", done: 0, total: 10 });
    clock = 4000;
    display.update({ phase: "apply", target: "dr-west", done: 5, total: 10 });
    display.stop();
    expect(written()).toContain("reading source | 400 objects | 200 objects/s");
    expect(written()).toMatch(/applying to dr-west .* 5\/10 operations \| 3 ops\/s \| ETA/);
  });

  it("writes nothing with --json or when the stream is not a terminal", () => {
    for (const [json, isTTY] of [
      [true, true],
      [false, false],
    ] as const) {
      const { stream, written } = fakeStream(isTTY);
      const display = createProgressDisplay({ json, stream });
      display.update({ phase: "read", side: "target", records: 200 });
      display.update({ phase: "apply", target: "t", done: 1, total: 2 });
      display.stop();
      expect(written()).toBe("");
    }
  });
});
