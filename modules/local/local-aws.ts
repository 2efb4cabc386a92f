// Starts and stops the embedded local AWS (moto server + lakesync's CloudTrail layer and fixes,
// see scripts/localaws). Used by `lakesync local up|down`, `npm start` and the test harness.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pythonPath = join(projectRoot, ".venv", "bin", "python");
const stateFile = join(projectRoot, ".lakesync", "local.json");

export interface LocalAwsHandle {
  endpoint: string;
  pid: number;
}

export interface RunningLocalAws extends LocalAwsHandle {
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Keep running after this process exits (for `lakesync local up --detach`). */
  detach?: boolean;
  /** Extra environment for the server, e.g. LAKESYNC_LOCAL_LOOKUP_RATE. */
  env?: Record<string, string>;
}

export async function startLocalAws(options: StartOptions = {}): Promise<RunningLocalAws> {
  if (!existsSync(pythonPath)) {
    throw new Error(`local AWS is not installed: ${pythonPath} is missing; run \`npm run bootstrap\` first`);
  }
  const child = spawn(pythonPath, ["-m", "localaws", "--host", "127.0.0.1", "--port", "0"], {
    cwd: join(projectRoot, "scripts"),
    env: { ...process.env, ...options.env, PYTHONUNBUFFERED: "1" },
    detached: options.detach ?? false,
    stdio: ["ignore", "pipe", options.detach ? "ignore" : "pipe"],
  });
  const handle = await readHandle(child);
  await waitHealthy(handle.endpoint);
  if (options.detach) {
    child.stdout?.destroy();
    child.unref();
  }
  return { ...handle, stop: () => stopChild(child) };
}

function readHandle(child: ChildProcess): Promise<LocalAwsHandle> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      try {
        const parsed = JSON.parse(line) as LocalAwsHandle;
        lines.close();
        resolve(parsed);
      } catch {
        // not the handle line; keep reading
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`local AWS exited with ${code} before it was ready:\n${stderr}`)),
    );
    child.once("error", reject);
  });
}

async function waitHealthy(endpoint: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`local AWS at ${endpoint} did not become healthy within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

/** Remembers a detached server so `lakesync local down` can stop it. */
export function saveDetached(handle: LocalAwsHandle): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(handle)}\n`);
}

export function readDetached(): LocalAwsHandle | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, "utf8")) as LocalAwsHandle;
}

/** Stops the server that `local up --detach` started; returns false when none was running. */
export async function stopDetached(): Promise<boolean> {
  const handle = readDetached();
  if (!handle) return false;
  rmSync(stateFile, { force: true });
  try {
    process.kill(handle.pid, "SIGTERM");
  } catch {
    return false; // already gone
  }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    try {
      process.kill(handle.pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(handle.pid, "SIGKILL");
  return true;
}

/**
 * Makes local AWS forget accounts that are done with (their moto backends, CloudTrail history, call
 * counts): moto's per-request cost grows with every account it holds (scripts/localaws/accounts.py).
 */
export async function forgetAccounts(endpoint: string, accounts: readonly string[]): Promise<void> {
  const url = new URL("/_lakesync/accounts/forget", endpoint);
  for (const account of accounts) url.searchParams.append("account", account);
  const response = await fetch(url, { method: "POST" });
  if (!response.ok)
    throw new Error(`local AWS forget accounts: HTTP ${response.status} ${await response.text()}`);
}

/** The accounts local AWS holds state for (any moto backend). */
export async function heldAccounts(endpoint: string): Promise<string[]> {
  const response = await fetch(new URL("/_lakesync/accounts", endpoint));
  if (!response.ok) throw new Error(`local AWS accounts: HTTP ${response.status}`);
  return ((await response.json()) as { accounts: string[] }).accounts;
}
