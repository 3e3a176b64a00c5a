// `graderkit serve` as a user runs it: the built CLI in a child process, its URL read from stderr.
import { spawn, type ChildProcess } from "node:child_process";
import { BIN, tempDir } from "./cli.js";

export interface ServeProcess {
  /** http://127.0.0.1:PORT (no /v1). */
  base: string;
  child: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], { cwd: cwd ?? tempDir("graderkit-serve-"), env: { ...process.env, ...env } });
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (d: string) => {
      stderr += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))\/v1\n/.exec(stderr);
      if (m && m[2] !== "0") resolve(m[1]!);
    });
    child.on("close", (code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
  });
  return {
    base,
    child,
    exited,
    stderr: () => stderr,
    stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** POST JSON, answer as status + parsed JSON. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text };
}

/** The value of one sample line (`name` or `name{labels}`) in Prometheus text, NaN when absent. */
export function metricValue(text: string, line: string): number {
  return Number(new RegExp(`^${line.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, "m").exec(text)?.[1]);
}
