// Who may drive a local server: the pure header checks behind `graderkit serve` (issue 10 item 13).
import { describe, expect, it } from "vitest";
import { checkContentType, checkHost, checkOrigin } from "../src/server/request-guard.js";

const loop = { host: "127.0.0.1", port: 8787 };

describe("request guard", () => {
  it("accepts only JSON bodies", () => {
    expect(checkContentType("application/json").ok).toBe(true);
    expect(checkContentType("Application/JSON; charset=utf-8").ok).toBe(true);
    for (const t of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) expect(checkContentType(t), String(t)).toMatchObject({ ok: false, status: 415 });
  });

  it("on loopback, accepts loopback names with the right port only", () => {
    for (const h of ["127.0.0.1:8787", "localhost:8787", "[::1]:8787", "LOCALHOST:8787"]) expect(checkHost(h, loop).ok, h).toBe(true);
    for (const h of ["evil.example:8787", "127.0.0.1:9999", "localhost", "192.168.1.2:8787", "127.0.0.1.nip.io:8787"]) expect(checkHost(h, loop), h).toMatchObject({ ok: false, status: 403 });
    expect(checkHost(undefined, loop).ok).toBe(false);
    expect(checkHost("graders.internal", { ...loop, allowedHosts: ["graders.internal"] }).ok).toBe(true);
  });

  it("bound to all interfaces, any Host is one the clients use", () => {
    expect(checkHost("graders.example.com:8787", { host: "0.0.0.0", port: 8787 }).ok).toBe(true);
  });

  it("bound to one address, accepts that address and loopback names", () => {
    const lan = { host: "10.0.0.5", port: 8787 };
    expect(checkHost("10.0.0.5:8787", lan).ok).toBe(true);
    expect(checkHost("evil.example:8787", lan).ok).toBe(false);
  });

  it("refuses browser origins other than the server's own and the allowed ones", () => {
    expect(checkOrigin(undefined, loop).ok).toBe(true);
    expect(checkOrigin("http://127.0.0.1:8787", loop).ok).toBe(true);
    expect(checkOrigin("http://localhost:8787", loop).ok).toBe(true);
    expect(checkOrigin("http://localhost:3000", loop).ok).toBe(false);
    expect(checkOrigin("null", loop).ok).toBe(false);
    expect(checkOrigin("https://evil.example", { ...loop, allowedOrigins: ["https://evil.example"] }).ok).toBe(true);
  });
});
