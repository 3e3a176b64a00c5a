// Who may drive a local graders server, as pure checks on request headers. A grader runs code, so
// a server on loopback must not be reachable from a web page the user happens to visit:
// - a cross-site "simple request" (Content-Type text/plain, no preflight): JSON bodies only;
// - a page's fetch with an Origin header: refused unless the origin is allowed;
// - DNS rebinding (evil.example resolving to 127.0.0.1): the Host header must name the server
//   (a loopback name when it listens on loopback), unless the host is allowed;
// - and, with an API key, anyone without it.

import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

export interface RequestGuardOptions {
  /** The address the server listens on. */
  host: string;
  port: number;
  /** Extra Host header values accepted (e.g. "graders.internal:8787"). */
  allowedHosts?: readonly string[];
  /** Origins a browser may call from (e.g. "http://localhost:5173"). */
  allowedOrigins?: readonly string[];
}

export type GuardVerdict = { ok: true } | { ok: false; status: 403 | 415; message: string };

/**
 * A loopback address literal (127.0.0.0/8, ::1) or localhost / *.localhost, which browsers
 * resolve to loopback themselves (RFC 6761). Not any other name: "127.0.0.1.nip.io" resolves to
 * 127.0.0.1 through DNS an attacker controls, which is what rebinding uses.
 */
export function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1";
  return bare === "localhost" || bare.endsWith(".localhost");
}

/** "Host: name:port" split; IPv6 literals keep their brackets. */
function splitHost(header: string): { name: string; port: string | null } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  return m ? { name: m[1]!, port: m[2] ?? null } : { name: header, port: null };
}

export function checkContentType(contentType: string | undefined): GuardVerdict {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return { ok: true };
  return { ok: false, status: 415, message: `Content-Type must be application/json, got ${contentType ? JSON.stringify(contentType) : "none"}` };
}

export function checkHost(hostHeader: string | undefined, options: RequestGuardOptions): GuardVerdict {
  if (hostHeader === undefined) return { ok: false, status: 403, message: "a Host header is required" };
  const allowed = (options.allowedHosts ?? []).map((h) => h.toLowerCase());
  if (allowed.includes(hostHeader.toLowerCase())) return { ok: true };
  const { name, port } = splitHost(hostHeader);
  const rightPort = port === null ? options.port === 80 : Number(port) === options.port;
  if (isLoopback(options.host)) {
    if (isLoopback(name) && rightPort) return { ok: true };
  } else if (isIP(options.host.replace(/^\[|\]$/g, "")) === 0 || options.host === "0.0.0.0" || options.host === "::") {
    // Listening on all interfaces or on a name: the Host names are whatever clients use.
    return { ok: true };
  } else if ((name === options.host.toLowerCase() || isLoopback(name)) && rightPort) {
    return { ok: true };
  }
  return { ok: false, status: 403, message: `Host ${JSON.stringify(hostHeader)} is not this server's address (allow it with --allow-host)` };
}

export function checkOrigin(origin: string | undefined, options: RequestGuardOptions): GuardVerdict {
  if (origin === undefined) return { ok: true }; // not a browser page: SDKs and curl send none
  if ((options.allowedOrigins ?? []).includes(origin)) return { ok: true };
  // The server's own pages (same origin) may call it.
  try {
    const url = new URL(origin);
    if (isLoopback(options.host) && isLoopback(url.hostname) && Number(url.port || 80) === options.port) return { ok: true };
  } catch {
    // not a URL: refused below
  }
  return { ok: false, status: 403, message: `requests from origin ${JSON.stringify(origin)} are not allowed (allow it with --allow-origin)` };
}

/**
 * `Authorization: Bearer KEY` against the server's key (--api-key). Both sides are hashed first,
 * so the comparison takes the same time whatever the key and the guess have in common.
 */
export function checkBearer(authorization: string | undefined, apiKey: string): { ok: true } | { ok: false; status: 401; message: string } {
  const m = /^Bearer[ \t]+(.+)$/i.exec(authorization ?? "");
  const given = m ? m[1]!.trim() : null;
  if (given !== null && timingSafeEqual(digest(given), digest(apiKey))) return { ok: true };
  return { ok: false, status: 401, message: given === null ? "this server needs an API key: send Authorization: Bearer KEY (the key it was started with, --api-key or $GRADERKIT_SERVER_KEY)" : "incorrect API key provided" };
}

const digest = (text: string) => createHash("sha256").update(text).digest();
