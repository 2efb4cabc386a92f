// CPU time of a process, for the harnesses that run beside local AWS (bench, chaos): on a shared
// 2-core machine the wall time says more about the neighbours than about the run, and local AWS's
// own CPU shows when it, not the engine, is what limits a figure.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** USER_HZ: the unit of /proc/<pid>/stat's times on Linux (100 on every mainstream kernel build). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process (e.g. local AWS) has used; undefined where /proc is absent. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after "(comm) ": state is [0], so utime (field 14) is [11] and stime [12].
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds this process has used (user + system). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Busy and total CPU seconds of the whole machine, all cores (Linux /proc/stat); undefined elsewhere. */
export function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    // cpu  user nice system idle iowait irq softirq steal ...
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU used by one process, and its share of the window's wall time (1 = one core busy throughout). */
export interface ProcessCpu {
  cpuSeconds: number;
  busyShare: number;
  /** CPU milliseconds per unit of work (e.g. per applied event). */
  msPerUnit: number;
}

export interface CpuWindow {
  wallSeconds: number;
  localAws: ProcessCpu | null;
  harness: ProcessCpu;
  /** Busy share of all cores together (2 = both cores busy throughout on a 2-core machine). */
  machineBusyShare: number | null;
}

/**
 * Starts a CPU window over local AWS (by pid), this process and the machine; `end(units)` closes it
 * and gives each one's CPU seconds, busy share and CPU per unit of work.
 */
export function cpuWindow(localAwsPid: number): { end(units: number): CpuWindow } {
  const started = performance.now();
  const localAws = processCpuSeconds(localAwsPid);
  const own = ownCpuSeconds();
  const machine = machineCpuSeconds();
  return {
    end(units) {
      const wallSeconds = (performance.now() - started) / 1000;
      const round = (n: number) => Math.round(n * 100) / 100;
      const used = (cpuSeconds: number): ProcessCpu => ({
        cpuSeconds: round(cpuSeconds),
        busyShare: round(cpuSeconds / wallSeconds),
        msPerUnit: round((cpuSeconds * 1000) / Math.max(units, 1)),
      });
      const localAwsNow = processCpuSeconds(localAwsPid);
      const machineNow = machineCpuSeconds();
      return {
        wallSeconds: round(wallSeconds),
        localAws: localAws === undefined || localAwsNow === undefined ? null : used(localAwsNow - localAws),
        harness: used(ownCpuSeconds() - own),
        machineBusyShare:
          machine && machineNow
            ? round(((machineNow.busy - machine.busy) / (machineNow.total - machine.total)) * cpus().length)
            : null,
      };
    },
  };
}
