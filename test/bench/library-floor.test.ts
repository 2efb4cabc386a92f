// The bundle budget's floor (bench/library-floor.ts): the floor entry holds exactly the SDK
// commands, Powertools utilities and SDK helpers of the handler it stands for, and nothing of
// lakesync, so the bytes between the two are lakesync's.
import { describe, expect, it } from "vitest";
import { floorParts, libraryFloor } from "../../bench/library-floor.ts";
import { bundleHandler } from "../../stacks/handler-bundle.ts";

describe("library floor", () => {
  it("bundles the capture handler's own commands and utilities, without lakesync's code", () => {
    const bundle = bundleHandler("handlers/capture-eventbridge.ts", "test-floor-capture-eventbridge");
    const floor = libraryFloor(bundle);
    expect(floor.commands["client-dynamodb"]).toContain("TransactWriteItemsCommand");
    expect(floor.powertools).toEqual(["batch", "logger", "metrics"]);

    const floorBundle = bundleHandler(`dist/bench/floor/${bundle.name}.mjs`, `bench-floor-${bundle.name}`);
    expect(floorParts(floorBundle)).toEqual(floorParts(bundle));
    // Of lakesync's files, only the build's stand-in for the SDK's credential chain (handler-bundle.ts).
    expect(Object.keys(floorBundle.initInputs).filter((input) => !input.includes("node_modules/"))).toEqual([
      `dist/bench/floor/${bundle.name}.mjs`,
      "modules/aws/lambda-credentials.ts",
    ]);
    expect(floor.bytes).toBe(floorBundle.bytes);
    expect(floor.bytes).toBeLessThan(bundle.bytes);
  });

  it("reads commands, utilities and helpers from a bundle's inputs", () => {
    const initInputs = {
      "node_modules/@aws-sdk/client-glue/dist-es/commands/GetTableCommand.js": 100,
      "node_modules/@aws-sdk/client-glue/dist-es/commands/CreateTableCommand.js": 100,
      "node_modules/@aws-lambda-powertools/logger/lib/esm/Logger.js": 100,
      "node_modules/@aws-sdk/util-dynamodb/dist-es/marshall.js": 100,
      "modules/operations/executor.ts": 100,
    };
    expect(floorParts({ initInputs })).toEqual({
      commands: { "client-glue": ["CreateTableCommand", "GetTableCommand"] },
      powertools: ["logger"],
      helpers: ["util-dynamodb"],
    });
  });
});
