/**
 * Tests for lib/cli/host_arg.ts, and for hosts end to end: "host:port" given as a
 * host is a usage error that shows what to type, a malformed host is one line
 * in the user's language from either script, and a lone number given to
 * client.ts is the port.
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/cli/cli_args.ts";
import { parseHost } from "../../lib/cli/host_arg.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { CLIENT_SCRIPT, runScript, SERVER_SCRIPT } from "../support/processes.ts";
import { assertNoStackTrace, assertUsageExit } from "../support/user_errors.ts";

/** Asserts `parseHost(text, option)` throws a UsageError of `kind` with these values. */
function assertRefused(text: string, option: string | null, expected: object): void {
  assert.throws(() => parseHost(text, option), (error) => {
    assert.ok(error instanceof UsageError, `${text}: got ${error}`);
    assert.deepEqual(error.problem, { option, value: text, ...expected });
    return true;
  });
}

// --- parseHost() ---

Deno.test("parseHost() returns names and addresses as typed", () => {
  for (
    const host of ["127.0.0.1", "0.0.0.0", "localhost", "example.org", "::", "::1", "fe80::1%lo"]
  ) {
    assert.equal(parseHost(host, "--host"), host);
  }
});

Deno.test("parseHost() strips the brackets of an IPv6 address", () => {
  assert.equal(parseHost("[::1]", null), "::1");
  assert.equal(parseHost("[::]", "--host"), "::");
});

Deno.test("parseHost() refuses an empty or blank host", () => {
  assertRefused("", "--host", { kind: "emptyHost" });
  assertRefused("  ", null, { kind: "emptyHost" });
});

Deno.test("parseHost() refuses a host with a port, giving both parts", () => {
  assertRefused("127.0.0.1:80", null, { kind: "hostWithPort", host: "127.0.0.1", port: "80" });
  assertRefused("[::1]:80", "--host", { kind: "hostWithPort", host: "::1", port: "80" });
  assertRefused("localhost:50000", null, {
    kind: "hostWithPort",
    host: "localhost",
    port: "50000",
  });
});

Deno.test("parseHost() leaves other odd hosts to the system, which reports them", () => {
  // Not "host:port" with a number: connect or listen says they are not valid host names.
  for (const host of ["a b", "localhost:", "localhost:abc", "[::1]:", "::1]"]) {
    assert.equal(parseHost(host, "--host"), host);
  }
});

// --- client.ts ---

for (const host of ["127.0.0.1:80", "[::1]:80", "localhost:50000"]) {
  Deno.test(`client.ts ${host} is a usage error that says to give the port separately`, async () => {
    const result = await runScript(CLIENT_SCRIPT, [host]);
    assertUsageExit(result, `"${host}"`);
    assert.match(
      result.stderr,
      /^Invalid host "[^"]+": give the port separately: client\.ts \S+ \d+ \(or --port \d+\)\n/,
    );
  });
}

Deno.test("client.ts [::1]:80 --lang zh says it in Chinese", async () => {
  const result = await runScript(CLIENT_SCRIPT, ["[::1]:80", "--lang", "zh"]);
  assertUsageExit(result, '"[::1]:80"');
  assert.ok(
    result.stderr.startsWith(
      '无效的主机 "[::1]:80"：端口请分开写：client.ts ::1 80（或 --port 80）\n',
    ),
    result.stderr,
  );
});

Deno.test("client.ts with a malformed host says so in one line and exits 1", async () => {
  for (const lang of ["en", "zh"] as const) {
    const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, ["a b", "--lang", lang]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr, TEXTS[lang].invalidHost("a b") + "\n");
    assertNoStackTrace(stderr);
  }
});

Deno.test("client.ts PORT alone connects to that port on 127.0.0.1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close(); // a closed port: the refusal names the address tried
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [String(port)]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.equal(stderr, TEXTS.en.connectionRefused("127.0.0.1", port) + "\n");
});

// --- server.ts ---

Deno.test("server.ts --host 127.0.0.1:80 is a usage error that shows --host and --port", async () => {
  const result = await runScript(SERVER_SCRIPT, ["--host", "127.0.0.1:80"]);
  assertUsageExit(result, '"127.0.0.1:80"');
  assert.ok(
    result.stderr.startsWith(
      'Invalid --host "127.0.0.1:80": give the port separately: --host 127.0.0.1 --port 80\n',
    ),
    result.stderr,
  );
});

Deno.test("server.ts with a malformed host says so in one line and exits 1", async () => {
  for (const lang of ["en", "zh"] as const) {
    for (const extra of [[], ["--check"]]) {
      const args = ["--host", "a b", "--port", "0", "--lang", lang, ...extra];
      const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, args);
      assert.equal(code, 1, stderr);
      assert.equal(stdout, "");
      const texts = TEXTS[lang];
      assert.equal(stderr, texts.cannotListen("a b", 0, texts.invalidHostDetail("a b")) + "\n");
      assertNoStackTrace(stderr);
    }
  }
});

Deno.test("server.ts with an unknown host says it in the user's language", async () => {
  const host = "no-such-host.invalid";
  const args = ["--host", host, "--port", "0", "--lang", "zh"];
  const { code, stderr } = await runScript(SERVER_SCRIPT, args);
  assert.equal(code, 1);
  assert.equal(
    stderr,
    TEXTS.zh.cannotListen(host, 0, TEXTS.zh.hostNotFoundDetail(host)) + "\n",
  );
});
