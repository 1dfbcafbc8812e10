/**
 * Tests for the text catalogues (lib/text/texts.ts, and the chat room's and
 * the command lines' in lib/chat/chat_texts.ts and lib/cli/cli_texts.ts),
 * taken together: each is complete and well-formed in both languages, they
 * keep the tutorial's wording, and no text is in two of them.
 */

import assert from "node:assert/strict";
import { type Lang, LANGS } from "../../lib/settings/lang.ts";
import {
  hostPort,
  isAnyAddress,
  TEXTS as OWN_TEXTS,
  type Texts as OwnTexts,
} from "../../lib/text/texts.ts";
import { CHAT_TEXTS, type ChatTexts } from "../../lib/chat/chat_texts.ts";
import { CLI_TEXTS, type CliTexts } from "../../lib/cli/cli_texts.ts";

/** Every user-facing text: the three catalogues as one, for the checks that hold for all. */
type Texts = OwnTexts & ChatTexts & CliTexts;
const CATALOGUES = [OWN_TEXTS, CHAT_TEXTS, CLI_TEXTS] as const;
const TEXTS: Record<Lang, Texts> = {
  en: { ...OWN_TEXTS.en, ...CHAT_TEXTS.en, ...CLI_TEXTS.en },
  zh: { ...OWN_TEXTS.zh, ...CHAT_TEXTS.zh, ...CLI_TEXTS.zh },
};

Deno.test("the text catalogues name no text twice, so joining them hides none", () => {
  const names = CATALOGUES.flatMap((catalogue) => Object.keys(catalogue.en));
  assert.equal(new Set(names).size, names.length);
  for (const catalogue of CATALOGUES) {
    assert.deepEqual(Object.keys(catalogue).sort(), [...LANGS].sort());
  }
});

/** Keys of the texts that are functions. */
type FunctionKey = {
  [K in keyof Texts]: Texts[K] extends (...args: never[]) => string ? K : never;
}[keyof Texts];

/** Sample arguments for every function text: a missing key is a type error. */
const SAMPLE_ARGS: { [K in FunctionKey]: Parameters<Texts[K]> } = {
  ready: ["0.0.0.0", 50000],
  readyTls: ["0.0.0.0", 50000],
  plainReady: ["0.0.0.0", 50001],
  webReady: ["127.0.0.1", 8080, false],
  webReadyOthers: [8080, false],
  webForeignOrigin: ["http://evil.example"],
  redisLinked: ["redis://127.0.0.1:6379"],
  redisTrying: ["redis://127.0.0.1:6379"],
  redisLinkLost: ["redis://127.0.0.1:6379"],
  redisUntrustedCertificate: ["rediss://redis.example.org:6380"],
  clientConnected: [3],
  clientDisconnected: [2],
  messageReceived: ["good boy"],
  messagesNotShown: [1234],
  clientError: ["ConnectionReset: reset by peer"],
  tooManyClientsLog: [1000],
  tooManyClients: [1000],
  refusedLog: ["203.0.113.7:51234", "address not allowed"],
  tooManyFromAddressReason: [128],
  tooManyJoinsReason: [120],
  tooManyFromAddress: [128],
  tooManyJoins: [120],
  outOfFileDescriptors: [1021, true],
  fileDescriptorsAvailable: [3],
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
  hexDumpMore: [4096],
  logSkipped: [12],
  portInUse: ["0.0.0.0", 50000, 50001],
  portFree: ["127.0.0.1", 50000],
  portTaken: ["127.0.0.1", 50000],
  cannotListen: ["10.9.8.7", 50000, "AddrNotAvailable: cannot assign"],
  hostNotFoundDetail: ["no.such.host"],
  notLocalAddressDetail: ["10.9.8.7"],
  invalidHostDetail: ["a b"],
  needNetPermission: ["server.ts", ["--port", "8080"]],
  needReadPermission: [["key.txt"], "server.ts", ["--mode", "chat", "--op-key-file", "key.txt"]],
  cannotReadKeyFile: ["key.txt", "No such file"],
  cannotReadRoomKeyFile: ["key.txt", "No such file"],
  cannotReadTlsFile: ["cert.pem", "No such file"],
  invalidTlsFiles: ["cert.pem", "key.pem", "no start line"],
  tlsCertWarning: ["cert.pem", "ca"],
  tlsRefusedReason: ["timeout", "", 10],
  unexpected: ["Error: boom"],
  usageError: ['Invalid --port "abc"', "server.ts"],
  clientReady: ["127.0.0.1", 50000],
  clientReadyTls: ["localhost", 50000],
  tlsUnknownIssuer: ["example.org", 50000],
  tlsWrongName: ["127.0.0.2", ["localhost", "127.0.0.1"]],
  tlsExpired: ["example.org", 50000],
  tlsNotTls: ["localhost", 50000],
  caNotPem: ["ca.txt"],
  connectionRefused: ["127.0.0.1", 50000],
  unknownHost: ["no.such.host"],
  invalidHost: ["a b"],
  connectTimeout: ["10.9.8.7", 50000, 2.5],
  cannotConnect: ["127.0.0.1", 50000, "TimedOut: timed out"],
  connectionLost: ["ConnectionReset: reset by peer"],
  hexSent: [12],
  hexReceived: [34],
  chatTooSlowLog: [1048576],
  chatSlowDown: [20],
  chatNoRoomKey: [30],
  chatNoRoomKeyReason: [30],
  chatHttpAnswer: ["http://localhost:50001/"],
  chatHttpRequestLog: ["GET"],
  moreCharacters: [3],
  chatWelcome: ["guest3", ["guest1", "alice"], 5],
  chatEarlierLines: [3],
  chatWelcomeBack: ["ann", 3],
  chatResumedLog: ["ann"],
  chatJoined: ["guest3"],
  chatLeft: ["guest3", "bye all"],
  chatLeaveReason: ["connection lost"],
  chatQuitLogReason: ["bye all"],
  chatPrivateLog: ["guest3", "alice"],
  chatRenamed: ["guest3", "alice"],
  chatInvalidNick: ["a b", 24],
  chatMixedScripts: ["w\u0430tcher", ["Latin", "Cyrillic", "other"]],
  chatNickTaken: ["alice"],
  chatNickUnchanged: ["alice"],
  chatNoSuchNick: ["bob"],
  chatWho: [["guest1", "alice"]],
  chatUsage: ["msg"],
  chatUnknownCommand: ["foo"],
  chatHelp: ["alice"],
  operatorKey: ["abcdefghijklmnop"],
  chatWrongKey: [2],
  chatWrongKeyLast: [3],
  chatWrongKeyLog: [1, 3],
  chatOperatorLog: ["alice"],
  chatOperatorsOnly: ["/kick"],
  chatOnOtherServer: ["bob"],
  chatNameLost: ["cat", "guest1"],
  chatRemovedYou: ["alice", "too loud"],
  chatRemoved: ["bob", "alice", null],
  chatMuted: ["bob", "alice", 10],
  chatUnmuted: ["bob", "alice"],
  chatNotMuted: ["bob"],
  chatYouAreMuted: [3],
  chatBanReason: [60],
  chatBanOwnAddress: ["bob"],
  chatBannedRefused: [59],
  chatBanRefusedLog: ["203.0.113.7", "bob"],
  chatUnbanned: ["203.0.113.7", "alice"],
  chatNotBanned: ["203.0.113.8"],
  chatBans: [[{ address: "203.0.113.7", nick: "bob", minutesLeft: 59 }]],
};

/** Texts that are allowed more than one line. */
const MULTI_LINE = new Set<keyof Texts>([
  "serverHelp",
  "clientHelp",
  "usageError",
  "chatHelp",
  "chatOperatorHelp",
]);

/** Arguments a text may leave out: the Chinese ready line quotes only the port, as the tutorial does. */
const NOT_QUOTED: Record<Lang, Partial<Record<FunctionKey, number[]>>> = {
  // These translate "read", "idle", "not-tls"..., or ready's host (zh names only the port).
  en: { tlsRefusedReason: [0], tlsCertWarning: [1] },
  zh: {
    ready: [0],
    trace: [0],
    chatLeaveReason: [0],
    tlsRefusedReason: [0],
    tlsCertWarning: [1],
    readyTls: [0],
    plainReady: [0],
  },
};

function render(lang: Lang, key: keyof Texts): string {
  const text = TEXTS[lang][key];
  if (typeof text === "string") return text;
  const args = SAMPLE_ARGS[key as FunctionKey];
  return (text as (...args: unknown[]) => string)(...args);
}

const ALL_KEYS = Object.keys(TEXTS.en) as (keyof Texts)[];
/** Keys of single texts; `usageProblems` is a table, tested in usage_problem_test.ts. */
const KEYS = ALL_KEYS.filter((key) => key !== "usageProblems");

Deno.test("TEXTS has exactly the languages of LANGS", () => {
  assert.deepEqual(Object.keys(TEXTS).sort(), [...LANGS].sort());
  assert.deepEqual([...LANGS], ["en", "zh"]);
});

Deno.test("TEXTS.zh has every key of TEXTS.en with the same type, and no other", () => {
  assert.deepEqual(Object.keys(TEXTS.zh).sort(), [...ALL_KEYS].sort());
  for (const key of ALL_KEYS) {
    assert.equal(typeof TEXTS.zh[key], typeof TEXTS.en[key], key);
    const en = TEXTS.en[key];
    const zh = TEXTS.zh[key];
    if (typeof en === "function" && typeof zh === "function") {
      assert.equal(zh.length, en.length, `${key} takes as many arguments`);
    }
  }
});

Deno.test("TEXTS has sample arguments in this test for every function text", () => {
  const functionKeys = KEYS.filter((key) => typeof TEXTS.en[key] === "function");
  assert.deepEqual(Object.keys(SAMPLE_ARGS).sort(), functionKeys.sort());
});

Deno.test("TEXTS texts are non-empty single lines in both languages, help texts aside", () => {
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

Deno.test("TEXTS texts quote the values they are given", () => {
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

Deno.test("TEXTS.zh translates every text", () => {
  for (const key of KEYS) {
    assert.notEqual(render("zh", key), render("en", key), key);
  }
});

Deno.test("TEXTS.zh of the server, the client and the room quote with “…” and put no space before （ or “", () => {
  const keys = [...Object.keys(OWN_TEXTS.zh), ...Object.keys(CHAT_TEXTS.zh)] as (keyof Texts)[];
  for (const key of keys) {
    const text = render("zh", key);
    assert.doesNotMatch(text, /"/, `zh.${key}: ${text}`);
    assert.doesNotMatch(text, /\s[（“]|”\s/, `zh.${key}: ${text}`);
  }
  assert.equal(TEXTS.zh.chatNickTaken("小红"), "名字“小红”已被占用");
});

Deno.test("TEXTS.zh.defaultReply is the tutorial's reply", () => {
  assert.equal(TEXTS.zh.defaultReply, "服务端接收到的信息为：{msg}");
  assert.equal(TEXTS.en.defaultReply, "Server received: {msg}");
});

Deno.test("TEXTS.zh.ready() says the tutorial's ready line", () => {
  assert.ok(
    TEXTS.zh.ready("0.0.0.0", 50000).includes("服务端启动成功，在50000端口等待客户端连接..."),
  );
});

Deno.test("TEXTS.en.ready() names the address it listens on", () => {
  assert.ok(TEXTS.en.ready("0.0.0.0", 50000).includes("listening on 0.0.0.0:50000"));
  assert.ok(TEXTS.en.ready("::1", 50000).includes("listening on [::1]:50000"));
});

Deno.test("TEXTS webReady() gives a server on every address's page as localhost, any other host as it is", () => {
  for (const lang of LANGS) {
    for (const host of ["0.0.0.0", "::", "0:0:0:0:0:0:0:0", "::0"]) {
      const line = TEXTS[lang].webReady(host, 8080, false);
      assert.ok(
        line.endsWith(" http://localhost:8080/") || line.endsWith("：http://localhost:8080/"),
        line,
      );
    }
    assert.ok(
      TEXTS[lang].webReady("127.0.0.1", 8080, false).endsWith("http://127.0.0.1:8080/"),
      lang,
    );
    assert.ok(TEXTS[lang].webReady("::1", 8080, false).endsWith("http://[::1]:8080/"), lang);
    assert.ok(TEXTS[lang].webReady("10.0.0.5", 80, false).endsWith("http://10.0.0.5:80/"), lang);
    assert.ok(TEXTS[lang].webReadyOthers(8080, false).includes(":8080/"), lang);
    assert.ok(TEXTS[lang].webReady("127.0.0.1", 8443, true).endsWith("https://127.0.0.1:8443/"));
    assert.ok(TEXTS[lang].webReadyOthers(8443, true).includes("https://"), lang);
  }
  assert.equal(TEXTS.en.webReady("0.0.0.0", 8080, false), "Web page at http://localhost:8080/");
});

Deno.test("isAnyAddress() is true for the unspecified IPv4 and IPv6 addresses only", () => {
  for (const host of ["0.0.0.0", "::", "::0", "0::", "0:0:0:0:0:0:0:0", "00.0.0.000"]) {
    assert.ok(isAnyAddress(host), host);
  }
  for (const host of ["127.0.0.1", "::1", "localhost", "0.0.0.1", "10.0.0.0", "0", "", "fe80::"]) {
    assert.ok(!isAnyAddress(host), host);
  }
});

Deno.test("TEXTS.zh.connectionRefused() keeps the tutorial's Windows wording", () => {
  assert.ok(
    TEXTS.zh.connectionRefused("127.0.0.1", 50000).includes("由于目标计算机积极拒绝，无法连接"),
  );
});

Deno.test("TEXTS portInUse() suggests the free port, or what to do without one", () => {
  for (const lang of LANGS) {
    assert.ok(TEXTS[lang].portInUse("0.0.0.0", 50000, 50001).includes("--port 50001"), lang);
    const withoutFree = TEXTS[lang].portInUse("0.0.0.0", 50000, null);
    assert.ok(withoutFree.includes("--port"), lang);
    assert.ok(!withoutFree.includes("null"), lang);
  }
});

Deno.test("TEXTS usageError() is the detail, then a usage line that points to --help", () => {
  for (const lang of LANGS) {
    for (const script of ["server.ts", "client.ts"]) {
      const lines = TEXTS[lang].usageError('Invalid --port "abc"', script).split("\n");
      assert.equal(lines.length, 2, lang);
      assert.equal(lines[0], 'Invalid --port "abc"');
      assert.ok(lines[1]!.includes(`deno run --allow-net ${script}`), `${lang}: ${lines[1]}`);
      assert.ok(lines[1]!.includes("--help"), `${lang}: ${lines[1]}`);
    }
  }
});

Deno.test("TEXTS usageError() writes the usage line as the help text of its language does", () => {
  for (
    const [script, help] of [["server.ts", "serverHelp"], ["client.ts", "clientHelp"]] as const
  ) {
    for (const lang of LANGS) {
      const usage = TEXTS[lang].usageError("x", script).split("\n")[1]!;
      const helpUsage = TEXTS[lang][help].split("\n")[0]!;
      assert.ok(usage.startsWith(helpUsage), `${lang}: "${usage}" vs "${helpUsage}"`);
    }
    assert.doesNotMatch(TEXTS.zh.usageError("x", script), /options/);
  }
});

Deno.test("TEXTS connectTimeout() names the address and the seconds", () => {
  assert.equal(
    TEXTS.en.connectTimeout("10.9.8.7", 50000, 2.5),
    "Cannot connect to 10.9.8.7:50000: no answer within 2.5 seconds",
  );
  assert.ok(TEXTS.en.connectTimeout("::1", 7, 1).endsWith("[::1]:7: no answer within 1 second"));
  assert.equal(
    TEXTS.zh.connectTimeout("10.9.8.7", 50000, 2.5),
    "无法连接到 10.9.8.7:50000：2.5 秒内没有响应",
  );
});

Deno.test("TEXTS invalidHost() and the listen details quote the host", () => {
  assert.equal(TEXTS.en.invalidHost("a b"), 'Cannot connect: "a b" is not a valid host name');
  assert.equal(TEXTS.zh.invalidHost("a b"), "无法连接：“a b”不是有效的主机名");
  assert.equal(TEXTS.en.invalidHostDetail("a b"), '"a b" is not a valid host name');
  assert.equal(TEXTS.en.hostNotFoundDetail("x.invalid"), 'host "x.invalid" was not found');
  assert.equal(
    TEXTS.en.notLocalAddressDetail("10.9.8.7"),
    '"10.9.8.7" is not an address of this machine',
  );
});

Deno.test("TEXTS summary() shows the uptime with one decimal", () => {
  const stats = SAMPLE_ARGS.summary[0];
  for (const lang of LANGS) assert.ok(TEXTS[lang].summary(stats).includes("9.3"), lang);
});

Deno.test("TEXTS serverHelp lists every server option in both languages", () => {
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
    "--strict-lines",
    "--history",
    "--max-backlog",
    "--rate",
    "--check",
    "-h, --help",
    "-V, --version",
  ];
  for (const lang of LANGS) {
    for (const option of options) {
      assert.ok(TEXTS[lang].serverHelp.includes(option), `${lang} lacks ${option}`);
    }
  }
});

Deno.test("TEXTS serverHelp states the real defaults and default reply", () => {
  for (const lang of LANGS) {
    const help = TEXTS[lang].serverHelp;
    for (const value of ["0.0.0.0", "50000", "1000", "65536", TEXTS[lang].defaultReply]) {
      assert.ok(help.includes(value), `${lang} lacks ${value}`);
    }
    // the chat options' defaults, each in its own option's text
    for (const [option, value] of [["--history", 20], ["--max-backlog", 1048576], ["--rate", 20]]) {
      const entry = optionEntry(help, option as string);
      assert.ok(entry.includes(`${value}`), `${lang} ${option} lacks ${value}: ${entry}`);
    }
  }
});

/** The lines of a help text about one option: from its name to the next option's line. */
function optionEntry(help: string, option: string): string {
  const rest = help.slice(help.indexOf(`${option} `));
  const end = rest.search(/\n {2,6}-/);
  return end === -1 ? rest : rest.slice(0, end);
}

Deno.test("TEXTS serverHelp names the modes and shows chat mode in an example", () => {
  for (const lang of LANGS) {
    const help = TEXTS[lang].serverHelp;
    assert.match(help, /-m, --mode MODE +reply ?[(（][^)）]+[)）] ?\| echo \| chat\n/, lang);
    assert.ok(help.includes("  deno run --allow-net server.ts --mode chat\n"), lang);
  }
});

Deno.test("TEXTS clientHelp lists every client option and the real defaults", () => {
  for (const lang of LANGS) {
    const help = TEXTS[lang].clientHelp;
    for (const part of ["[HOST] [PORT]", "-H, --host", "-p, --port", "--lang", "-h, --help"]) {
      assert.ok(help.includes(part), `${lang} lacks ${part}`);
    }
    for (const part of ["-C, --crlf", "-w, --wait SECONDS", "--hex", "-V, --version"]) {
      assert.ok(help.includes(part), `${lang} lacks ${part}`);
    }
    for (const part of ["127.0.0.1", "50000", ">>> "]) {
      assert.ok(help.includes(part), `${lang} lacks ${part}`);
    }
  }
});

/**
 * Every English text that takes a count, rendered for a count; and what it must
 * say for 1 and 2 (a "\n" stands for the end of the text).
 */
const COUNTED: [string, (count: number) => string, string, string][] = [
  [
    "messagesNotShown",
    (n) => TEXTS.en.messagesNotShown(n),
    "(1 more message received",
    "(2 more messages received",
  ],
  [
    "tooManyClientsLog",
    (n) => TEXTS.en.tooManyClientsLog(n),
    "already 1 client (",
    "already 2 clients (",
  ],
  [
    "tooManyClients",
    (n) => TEXTS.en.tooManyClients(n),
    "already has 1 client,",
    "already has 2 clients,",
  ],
  ["lineTooLong", (n) => TEXTS.en.lineTooLong(n), "limit is 1 byte,", "limit is 2 bytes,"],
  ["lineTooLongLog", (n) => TEXTS.en.lineTooLongLog(n), "over 1 byte (", "over 2 bytes ("],
  [
    "idleTimeout",
    (n) => TEXTS.en.idleTimeout(n),
    "no data for 1 second\n",
    "no data for 2 seconds\n",
  ],
  ["trace", (n) => TEXTS.en.trace("read", n), "read 1 byte\n", "read 2 bytes\n"],
  ["logSkipped", (n) => TEXTS.en.logSkipped(n), "(1 log line skipped", "(2 log lines skipped"],
  [
    "outOfFileDescriptors",
    (n) => TEXTS.en.outOfFileDescriptors(n, true),
    "with 1 client connected",
    "with 2 clients connected",
  ],
  ["hexDumpMore", (n) => TEXTS.en.hexDumpMore(n), "... 1 more byte\n", "... 2 more bytes\n"],
  ["hexSent", (n) => TEXTS.en.hexSent(n), "sent 1 byte\n", "sent 2 bytes\n"],
  ["hexReceived", (n) => TEXTS.en.hexReceived(n), "received 1 byte\n", "received 2 bytes\n"],
  [
    "connectTimeout",
    (n) => TEXTS.en.connectTimeout("127.0.0.1", 50000, n),
    "no answer within 1 second\n",
    "no answer within 2 seconds\n",
  ],
  ...(["connections", "messages", "bytesIn", "bytesOut"] as const).map((
    field,
  ): [string, (count: number) => string, string, string] => {
    const words = {
      connections: ["Served 1 connection (", "Served 2 connections ("],
      messages: [", 1 message,", ", 2 messages,"],
      bytesIn: [", 1 byte in,", ", 2 bytes in,"],
      bytesOut: [", 1 byte out,", ", 2 bytes out,"],
    }[field];
    return [
      `summary ${field}`,
      (n) => TEXTS.en.summary({ ...SAMPLE_ARGS.summary[0], [field]: n }),
      words[0]!,
      words[1]!,
    ];
  }),
];

for (const [name, render, one, two] of COUNTED) {
  Deno.test(`TEXTS.en.${name}() says the singular for 1 and the plural for 2`, () => {
    assert.ok(`${render(1)}\n`.includes(one), `for 1: ${render(1)}`);
    assert.ok(`${render(2)}\n`.includes(two), `for 2: ${render(2)}`);
  });
}

Deno.test("TEXTS.en.idleTimeout() says seconds for a fraction of a second", () => {
  assert.ok(TEXTS.en.idleTimeout(0.5).includes("no data for 0.5 seconds"));
});

Deno.test("TEXTS.zh texts with a count read the same for 1 and 2 but for the number", () => {
  for (const [name, , ,] of COUNTED) {
    // More than one number, or a flag besides the count.
    if (name.startsWith("summary") || ["connectTimeout", "outOfFileDescriptors"].includes(name)) {
      continue;
    }
    const key = name as FunctionKey;
    const text = (count: number) =>
      (TEXTS.zh[key] as (...args: unknown[]) => string)(
        ...SAMPLE_ARGS[key].map((arg) => typeof arg === "number" ? count : arg),
      );
    assert.equal(text(1).replace("1", "N"), text(2).replace("2", "N"), name);
  }
});

Deno.test("TEXTS.zh keeps the README's log lines word for word", () => {
  const zh = TEXTS.zh;
  assert.equal(zh.clientConnected(1), "接受一个客户端连接（当前 1 个连接）");
  assert.equal(zh.messageReceived("good boy"), "收到对方的信息：good boy");
  assert.equal(zh.clientDisconnected(0), "客户端断开连接（当前 0 个连接）");
  assert.equal(zh.stopping("SIGINT"), "收到 SIGINT，正在关闭服务端...");
  assert.equal(
    zh.summary({
      connections: 1,
      rejected: 0,
      messages: 2,
      bytesIn: 19,
      bytesOut: 85,
      uptimeSeconds: 1.1,
    }),
    "共服务 1 个连接（拒绝 0 个），2 条信息，收到 19 字节，发送 85 字节，运行 1.1 秒",
  );
  assert.equal(zh.ready("0.0.0.0", 50000), "服务端启动成功，在50000端口等待客户端连接...");
});

Deno.test("TEXTS.en keeps the README's English lines word for word", () => {
  assert.equal(
    TEXTS.en.ready("0.0.0.0", 50000),
    "Server listening on 0.0.0.0:50000, waiting for clients...",
  );
  assert.equal(TEXTS.en.clientConnected(1), "client connected (1 connected)");
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
