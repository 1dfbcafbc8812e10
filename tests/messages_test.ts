/**
 * Tests for lib/messages.ts: the catalogue is complete and well-formed in both
 * languages, keeps the tutorial's wording, and formats addresses.
 */

import assert from "node:assert/strict";
import { hostPort, type Lang, LANGS, MESSAGES, type Messages } from "../lib/messages.ts";

/** Keys of the texts that are functions. */
type FunctionKey = {
  [K in keyof Messages]: Messages[K] extends (...args: never[]) => string ? K : never;
}[keyof Messages];

/** Sample arguments for every function text: a missing key is a type error. */
const SAMPLE_ARGS: { [K in FunctionKey]: Parameters<Messages[K]> } = {
  ready: ["0.0.0.0", 50000],
  clientConnected: [3],
  clientDisconnected: [2],
  messageReceived: ["good boy"],
  messagesNotShown: [1234],
  clientError: ["ConnectionReset: reset by peer"],
  tooManyClientsLog: [1000],
  tooManyClients: [1000],
  lineTooLong: [65536],
  lineTooLongLog: [65536],
  idleTimeout: [30],
  idleTimeoutLog: [30],
  stopping: ["SIGINT"],
  summary: [{
    connections: 7,
    rejected: 1,
    messages: 42,
    bytesIn: 1234,
    bytesOut: 5678,
    uptimeSeconds: 9.25,
  }],
  trace: ["read", 512],
  logSkipped: [12],
  portInUse: ["0.0.0.0", 50000, 50001],
  portFree: ["127.0.0.1", 50000],
  portTaken: ["127.0.0.1", 50000],
  cannotListen: ["10.9.8.7", 50000, "AddrNotAvailable: cannot assign"],
  needNetPermission: ["server.ts"],
  unexpected: ["Error: boom"],
  usageError: ['Invalid --port "abc"', "server.ts"],
  clientReady: ["127.0.0.1", 50000],
  connectionRefused: ["127.0.0.1", 50000],
  unknownHost: ["no.such.host"],
  cannotConnect: ["127.0.0.1", 50000, "TimedOut: timed out"],
  connectionLost: ["ConnectionReset: reset by peer"],
};

/** Texts that are allowed more than one line. */
const MULTI_LINE = new Set<keyof Messages>(["serverHelp", "clientHelp", "usageError"]);

/** Arguments a text may leave out: the Chinese ready line quotes only the port, as the tutorial does. */
const NOT_QUOTED: Record<Lang, Partial<Record<FunctionKey, number[]>>> = {
  en: {},
  zh: { ready: [0], trace: [0] }, // trace translates "read"/"write"
};

function render(lang: Lang, key: keyof Messages): string {
  const text = MESSAGES[lang][key];
  if (typeof text === "string") return text;
  const args = SAMPLE_ARGS[key as FunctionKey];
  return (text as (...args: unknown[]) => string)(...args);
}

const KEYS = Object.keys(MESSAGES.en) as (keyof Messages)[];

Deno.test("MESSAGES has exactly the languages of LANGS", () => {
  assert.deepEqual(Object.keys(MESSAGES).sort(), [...LANGS].sort());
  assert.deepEqual([...LANGS], ["en", "zh"]);
});

Deno.test("MESSAGES.zh has every key of MESSAGES.en with the same type, and no other", () => {
  assert.deepEqual(Object.keys(MESSAGES.zh).sort(), [...KEYS].sort());
  for (const key of KEYS) {
    assert.equal(typeof MESSAGES.zh[key], typeof MESSAGES.en[key], key);
    const en = MESSAGES.en[key];
    const zh = MESSAGES.zh[key];
    if (typeof en === "function" && typeof zh === "function") {
      assert.equal(zh.length, en.length, `${key} takes as many arguments`);
    }
  }
});

Deno.test("MESSAGES has sample arguments in this test for every function text", () => {
  const functionKeys = KEYS.filter((key) => typeof MESSAGES.en[key] === "function");
  assert.deepEqual(Object.keys(SAMPLE_ARGS).sort(), functionKeys.sort());
});

Deno.test("MESSAGES texts are non-empty single lines in both languages, help texts aside", () => {
  for (const lang of LANGS) {
    for (const key of KEYS) {
      const text = render(lang, key);
      assert.equal(typeof text, "string", `${lang}.${key}`);
      assert.ok(text.trim().length > 0, `${lang}.${key} is empty`);
      assert.equal(text, text.trim(), `${lang}.${key} has surrounding blanks`);
      if (!MULTI_LINE.has(key)) {
        assert.ok(!/[\r\n]/.test(text), `${lang}.${key} has more than one line: ${text}`);
      }
    }
  }
});

Deno.test("MESSAGES texts quote the values they are given", () => {
  for (const lang of LANGS) {
    for (const key of Object.keys(SAMPLE_ARGS) as FunctionKey[]) {
      const text = render(lang, key);
      SAMPLE_ARGS[key].forEach((arg, index) => {
        if (NOT_QUOTED[lang][key]?.includes(index)) return;
        if (typeof arg === "string" || typeof arg === "number") {
          assert.ok(text.includes(String(arg)), `${lang}.${key} lacks ${arg}: ${text}`);
        }
      });
    }
  }
});

Deno.test("MESSAGES.zh translates every text", () => {
  for (const key of KEYS) {
    assert.notEqual(render("zh", key), render("en", key), key);
  }
});

Deno.test("MESSAGES.zh.defaultReply is the tutorial's reply", () => {
  assert.equal(MESSAGES.zh.defaultReply, "服务端接收到的信息为：{msg}");
  assert.equal(MESSAGES.en.defaultReply, "Server received: {msg}");
});

Deno.test("MESSAGES.zh.ready() says the tutorial's ready line", () => {
  assert.ok(
    MESSAGES.zh.ready("0.0.0.0", 50000).includes("服务端启动成功，在50000端口等待客户端连接..."),
  );
});

Deno.test("MESSAGES.en.ready() names the address it listens on", () => {
  assert.ok(MESSAGES.en.ready("0.0.0.0", 50000).includes("listening on 0.0.0.0:50000"));
  assert.ok(MESSAGES.en.ready("::1", 50000).includes("listening on [::1]:50000"));
});

Deno.test("MESSAGES.zh.connectionRefused() keeps the tutorial's Windows wording", () => {
  assert.ok(
    MESSAGES.zh.connectionRefused("127.0.0.1", 50000).includes("由于目标计算机积极拒绝，无法连接"),
  );
});

Deno.test("MESSAGES portInUse() suggests the free port, or what to do without one", () => {
  for (const lang of LANGS) {
    assert.ok(MESSAGES[lang].portInUse("0.0.0.0", 50000, 50001).includes("--port 50001"), lang);
    const withoutFree = MESSAGES[lang].portInUse("0.0.0.0", 50000, null);
    assert.ok(withoutFree.includes("--port"), lang);
    assert.ok(!withoutFree.includes("null"), lang);
  }
});

Deno.test("MESSAGES usageError() is the detail, then a usage line that points to --help", () => {
  for (const lang of LANGS) {
    for (const script of ["server.ts", "client.ts"]) {
      const lines = MESSAGES[lang].usageError('Invalid --port "abc"', script).split("\n");
      assert.equal(lines.length, 2, lang);
      assert.equal(lines[0], 'Invalid --port "abc"');
      assert.ok(lines[1]!.includes(`deno run --allow-net ${script}`), `${lang}: ${lines[1]}`);
      assert.ok(lines[1]!.includes("--help"), `${lang}: ${lines[1]}`);
    }
  }
});

Deno.test("MESSAGES summary() shows the uptime with one decimal", () => {
  const stats = SAMPLE_ARGS.summary[0];
  for (const lang of LANGS) assert.ok(MESSAGES[lang].summary(stats).includes("9.3"), lang);
});

Deno.test("MESSAGES serverHelp lists every server option in both languages", () => {
  const options = [
    "-H, --host",
    "-p, --port",
    "-m, --mode",
    "--reply",
    "--lang",
    "--max-conns",
    "--max-line",
    "--idle-timeout",
    "-q, --quiet",
    "--trace",
    "--check",
    "-h, --help",
    "-V, --version",
  ];
  for (const lang of LANGS) {
    for (const option of options) {
      assert.ok(MESSAGES[lang].serverHelp.includes(option), `${lang} lacks ${option}`);
    }
  }
});

Deno.test("MESSAGES serverHelp states the real defaults and default reply", () => {
  for (const lang of LANGS) {
    const help = MESSAGES[lang].serverHelp;
    for (const value of ["0.0.0.0", "50000", "1000", "65536", MESSAGES[lang].defaultReply]) {
      assert.ok(help.includes(value), `${lang} lacks ${value}`);
    }
  }
});

Deno.test("MESSAGES clientHelp lists every client option and the real defaults", () => {
  for (const lang of LANGS) {
    const help = MESSAGES[lang].clientHelp;
    for (const part of ["[HOST] [PORT]", "-H, --host", "-p, --port", "--lang", "-h, --help"]) {
      assert.ok(help.includes(part), `${lang} lacks ${part}`);
    }
    for (const part of ["-V, --version", "127.0.0.1", "50000", ">>> "]) {
      assert.ok(help.includes(part), `${lang} lacks ${part}`);
    }
  }
});

Deno.test("hostPort() joins an IPv4 address or name and a port with a colon", () => {
  assert.equal(hostPort("0.0.0.0", 50000), "0.0.0.0:50000");
  assert.equal(hostPort("localhost", 80), "localhost:80");
});

Deno.test("hostPort() puts an IPv6 address in brackets", () => {
  assert.equal(hostPort("::1", 50000), "[::1]:50000");
  assert.equal(hostPort("::", 0), "[::]:0");
  assert.equal(hostPort("fe80::1%eth0", 7), "[fe80::1%eth0]:7");
});
