/**
 * Tests of what the servers of one room tell each other: every message
 * survives encoding, and anything else on the channel (not JSON, another
 * program's, a name or line that breaks a rule) is refused.
 */

import assert from "node:assert/strict";
import type { BusMessage } from "../../lib/chat/room_bus.ts";
import { encodeBusMessage, parseBusMessage } from "../../lib/redis/bus_wire.ts";

const MAX_LINE = 100;

Deno.test("parseBusMessage() reads back every kind of message encodeBusMessage() writes", () => {
  const messages: BusMessage[] = [
    { kind: "hello" },
    { kind: "present", nicks: ["ann", "小明", "guest3"] },
    { kind: "private", from: "ann", to: "bob", text: "psst" },
    { kind: "event", event: { kind: "joined", nick: "ann" } },
    { kind: "event", event: { kind: "left", nick: "ann", reason: "server lost", detail: null } },
    { kind: "event", event: { kind: "left", nick: "ann", reason: "quit", detail: "bye" } },
    { kind: "event", event: { kind: "renamed", from: "ann", to: "anna" } },
    { kind: "event", event: { kind: "said", nick: "ann", texts: ["one", "two \u001b[2J"] } },
    { kind: "event", event: { kind: "acted", nick: "ann", text: "waves" } },
  ];
  const batch = { kind: "batch" as const, messages };
  assert.deepEqual(parseBusMessage(encodeBusMessage("s1", batch), MAX_LINE), {
    server: "s1",
    message: batch,
  });
  for (const message of messages) {
    assert.deepEqual(parseBusMessage(encodeBusMessage("s1", message), MAX_LINE), {
      server: "s1",
      message,
    });
  }
});

Deno.test("parseBusMessage() refuses what is not ours or breaks a rule", () => {
  const wrap = (message: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ v: 1, server: "s1", message, ...extra });
  const refused = [
    "not json",
    "[]",
    "null",
    JSON.stringify({ hello: "world" }),
    wrap({ kind: "hello" }, { v: 2 }),
    wrap({ kind: "hello" }, { server: "" }),
    wrap({ kind: "hello" }, { server: "x".repeat(65) }),
    wrap({ kind: "shout" }),
    wrap({ kind: "present", nicks: ["ok", "has space"] }),
    wrap({ kind: "present", nicks: "ann" }),
    wrap({ kind: "private", from: "ann", to: "bob", text: "x".repeat(MAX_LINE + 1) }),
    wrap({ kind: "private", from: "ann", to: "bob", text: "two\nlines" }),
    wrap({ kind: "event", event: { kind: "joined", nick: "\u001b[31mred" } }),
    wrap({ kind: "event", event: { kind: "joined", nick: "x".repeat(25) } }),
    wrap({ kind: "event", event: { kind: "left", nick: "ann", reason: "bored", detail: null } }),
    wrap({ kind: "event", event: { kind: "said", nick: "ann", texts: [] } }),
    wrap({ kind: "event", event: { kind: "said", nick: "ann", texts: [42] } }),
    wrap({ kind: "event", event: { kind: "acted", nick: "ann" } }),
    wrap({ kind: "batch", messages: [] }),
    wrap({ kind: "batch", messages: [{ kind: "hello" }, { kind: "shout" }] }),
    wrap({ kind: "batch", messages: [{ kind: "batch", messages: [{ kind: "hello" }] }] }),
  ];
  for (const text of refused) assert.equal(parseBusMessage(text, MAX_LINE), null, text);
});

Deno.test("parseBusMessage() measures the line limit in UTF-8 bytes, as for clients", () => {
  const said = (text: string) =>
    encodeBusMessage("s1", { kind: "event", event: { kind: "said", nick: "ann", texts: [text] } });
  assert.notEqual(parseBusMessage(said("好".repeat(33)), MAX_LINE), null); // 99 bytes
  assert.equal(parseBusMessage(said("好".repeat(34)), MAX_LINE), null); // 102 bytes
});

Deno.test("parseBusMessage() refuses a name that mixes scripts, as /nick does", () => {
  const joined = (nick: string) =>
    encodeBusMessage("s1", { kind: "event", event: { kind: "joined", nick } });
  assert.notEqual(parseBusMessage(joined("watcher"), MAX_LINE), null);
  assert.notEqual(parseBusMessage(joined("田中さん"), MAX_LINE), null);
  assert.equal(parseBusMessage(joined("w\u0430tcher"), MAX_LINE), null); // a Cyrillic "а"
  const renamed = encodeBusMessage("s1", {
    kind: "event",
    event: { kind: "renamed", from: "ann", to: "\u0430nn" },
  });
  assert.equal(parseBusMessage(renamed, MAX_LINE), null);
});

Deno.test("parseBusMessage() reads the operator of a removed member's leave, and refuses a bad one", () => {
  const removed: BusMessage = {
    kind: "event",
    event: { kind: "left", nick: "ann", reason: "removed", detail: "too loud", by: "teacher" },
  };
  assert.deepEqual(parseBusMessage(encodeBusMessage("s1", removed), 100)?.message, removed);
  const bad = encodeBusMessage("s1", removed).replace('"teacher"', '"*** x"');
  assert.equal(parseBusMessage(bad, 100), null);
});

Deno.test("parseBusMessage() reads an operator's order, and refuses a bad one", () => {
  const order: BusMessage = {
    kind: "moderate",
    action: "mute",
    nick: "ann",
    by: "teacher",
    reason: null,
    minutes: 10,
  };
  const text = encodeBusMessage("s1", order);
  assert.deepEqual(parseBusMessage(text, 100)?.message, order);
  for (
    const bad of [
      text.replace('"mute"', '"shun"'),
      text.replace('"teacher"', '"*x"'),
      text.replace("10", "1.5"),
      text.replace("10", "99999"),
      text.replace("null", "3"),
    ]
  ) {
    assert.equal(parseBusMessage(bad, 100), null, bad);
  }
});

Deno.test("parseBusMessage() reads bans, unbans, operators and a refused ban, and refuses bad ones", () => {
  const good: BusMessage[] = [
    { kind: "ban", address: "203.0.113.7", nick: "ann", ms: 60_000 },
    { kind: "ban", address: "2001:db8:0:2::/64", nick: "ann", ms: 1 },
    { kind: "unban", address: "203.0.113.7" },
    { kind: "operator", nick: "teacher" },
    { kind: "ban refused", nick: "ann", by: "teacher" },
    { kind: "present", nicks: ["ann", "teacher"], operators: ["teacher"] },
    { kind: "present", nicks: ["ann", "teacher"], operators: [], since: [0, 1765000000000] },
    {
      kind: "moderate",
      action: "ban",
      nick: "ann",
      by: "teacher",
      reason: null,
      minutes: 60,
      near: "198.51.100.1",
    },
  ];
  for (const message of good) {
    assert.deepEqual(parseBusMessage(encodeBusMessage("s1", message), 100)?.message, message);
  }
  const bad: unknown[] = [
    { kind: "ban", address: "203.0.113.700", nick: "ann", ms: 60_000 },
    { kind: "ban", address: "2001:db8:0:2:1:2:3:4", nick: "ann", ms: 60_000 }, // not as a ban writes it
    { kind: "ban", address: "203.0.113.7", nick: "*ann", ms: 60_000 },
    { kind: "ban", address: "203.0.113.7", nick: "ann", ms: 0 },
    { kind: "ban", address: "203.0.113.7", nick: "ann", ms: 1.5 },
    { kind: "ban", address: "203.0.113.7", nick: "ann", ms: 1e12 },
    { kind: "unban", address: "everyone" },
    { kind: "operator", nick: "" },
    { kind: "ban refused", nick: "ann" },
    { kind: "present", nicks: ["ann"], operators: ["ann", "bob"] },
    { kind: "present", nicks: ["ann"], operators: "ann" },
    { kind: "present", nicks: ["ann", "bob"], since: [1] },
    { kind: "present", nicks: ["ann"], since: [1.5] },
    { kind: "present", nicks: ["ann"], since: [-1] },
    { kind: "moderate", action: "ban", nick: "a", by: "b", reason: null, minutes: 1, near: "x" },
  ];
  for (const message of bad) {
    const text = JSON.stringify({ v: 1, server: "s1", message });
    assert.equal(parseBusMessage(text, 100), null, text);
  }
});

Deno.test("parseBusMessage() reads people's lines' ids and a page's move to another server, and leaves out bad ones", () => {
  const parse = (message: unknown) =>
    parseBusMessage(JSON.stringify({ v: 1, server: "s1", message }), MAX_LINE)?.message ?? null;
  const said = { kind: "said", nick: "ann", texts: ["one", "two"], ids: ["a.1", "a.2"] };
  assert.deepEqual(parse({ kind: "event", event: said }), { kind: "event", event: said });
  const acted = { kind: "acted", nick: "ann", text: "waves", ids: ["a.3"] };
  assert.deepEqual(parse({ kind: "event", event: acted }), { kind: "event", event: acted });
  // Ids that do not fit (one short, a bad character): the line stays, without them.
  for (const ids of [["a.1"], ["a.1", "a 2"], "a.1", [1, 2]]) {
    assert.deepEqual(parse({ kind: "event", event: { ...said, ids } }), {
      kind: "event",
      event: { kind: "said", nick: "ann", texts: ["one", "two"] },
    });
  }
  assert.deepEqual(parse({ kind: "continued", nick: "小明" }), { kind: "continued", nick: "小明" });
  assert.equal(parse({ kind: "continued", nick: "a*b" }), null);
  assert.equal(parse({ kind: "continued" }), null);
});
