import { describe, expect, it } from "vitest";
import { lateness, nextCheckpoint } from "../../modules/capture/checkpoint.ts";
import { IntervalRateLimiter, throttleBackoffMs } from "../../modules/capture/rate-limiter.ts";
import { pollWindow } from "../../modules/capture/window.ts";

const at = (iso: string) => new Date(iso);

describe("poll window", () => {
  it("starts lookback minutes before the checkpoint and ends now", () => {
    expect(
      pollWindow({
        checkpoint: "2026-03-01T10:00:00Z",
        now: at("2026-03-01T10:30:00Z"),
        lookbackMinutes: 20,
      }),
    ).toEqual({
      start: at("2026-03-01T09:40:00Z"),
      end: at("2026-03-01T10:30:00Z"),
    });
  });

  it("is computed from each invocation's clock: a later call reads a later window", () => {
    const first = pollWindow({ now: at("2026-03-01T10:00:00Z"), lookbackMinutes: 20 });
    const second = pollWindow({ now: at("2026-03-01T13:00:00Z"), lookbackMinutes: 20 });
    expect(first).toEqual({ start: at("2026-03-01T09:40:00Z"), end: at("2026-03-01T10:00:00Z") });
    expect(second).toEqual({ start: at("2026-03-01T12:40:00Z"), end: at("2026-03-01T13:00:00Z") });
  });

  it("uses now when the checkpoint is in the future (clock skew) and caps at CloudTrail's 90 days", () => {
    const now = at("2026-03-01T10:00:00Z");
    expect(pollWindow({ checkpoint: "2026-03-01T12:00:00Z", now, lookbackMinutes: 15 }).start).toEqual(
      at("2026-03-01T09:45:00Z"),
    );
    expect(pollWindow({ checkpoint: "2025-01-01T00:00:00Z", now, lookbackMinutes: 15 }).start).toEqual(
      at("2025-12-01T10:00:00Z"),
    );
  });

  it("refuses a lookback shorter than CloudTrail's delivery delay", () => {
    expect(() => pollWindow({ now: at("2026-03-01T10:00:00Z"), lookbackMinutes: 14 })).toThrow(/at least 15/);
    expect(() =>
      pollWindow({ checkpoint: "yesterday", now: at("2026-03-01T10:00:00Z"), lookbackMinutes: 20 }),
    ).toThrow(/not a time/);
  });
});

describe("checkpoint", () => {
  it("advances to the newest eventTime seen, only after a complete window, never backwards", () => {
    expect(nextCheckpoint(undefined, "2026-03-01T10:00:00Z", true)).toBe("2026-03-01T10:00:00Z");
    expect(nextCheckpoint("2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z", false)).toBe(
      "2026-03-01T09:00:00Z",
    );
    expect(nextCheckpoint("2026-03-01T11:00:00Z", "2026-03-01T10:00:00Z", true)).toBe("2026-03-01T11:00:00Z");
    expect(nextCheckpoint("2026-03-01T11:00:00Z", undefined, true)).toBe("2026-03-01T11:00:00Z");
  });

  it("calls a first-seen event late when its time is before the previous checkpoint, with its lag", () => {
    expect(lateness("2026-03-01T09:50:00Z", "2026-03-01T10:00:00Z")).toEqual({ late: true, lagSeconds: 600 });
    expect(lateness("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z")).toEqual({ late: false, lagSeconds: 0 });
    expect(lateness("2026-03-01T09:00:00Z", undefined)).toEqual({ late: false, lagSeconds: 0 });
  });
});

describe("LookupEvents pacing", () => {
  it("spaces requests at the given rate, queueing concurrent callers in order", async () => {
    let now = 1_000;
    const sleeps: number[] = [];
    const limiter = new IntervalRateLimiter(2, {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(sleeps).toEqual([500, 1000]);
    now += 5_000; // idle long enough: no waiting
    await limiter.acquire();
    expect(sleeps).toEqual([500, 1000]);
  });

  it("backs off exponentially after throttling, capped", () => {
    expect([0, 1, 2, 3, 10].map((retry) => throttleBackoffMs(retry))).toEqual([
      1000, 2000, 4000, 8000, 20_000,
    ]);
  });
});
