/**
 * The wire format of the bus between the servers of a room (`--redis`): each
 * message as one JSON text with a format version and the sender's id.
 *
 * Everything that comes off the bus is checked as if a client had sent it
 * ({@linkcode parseBusMessage}): a message that is not ours, or that breaks a
 * rule (a name the name rule refuses, a line over the limit, a leave reason
 * the room does not know), is dropped.
 *
 * @module
 */

import { isValidNick } from "../chat/chat_names.ts";
import { MAX_MINUTES } from "../chat/chat_commands.ts";
import { type ChatEvent, isNamedLeaveReason } from "../chat/chat_events.ts";
import { LINE_ID } from "../chat/chat_history.ts";
import type { BusMessage, BusPacket } from "../chat/room_bus.ts";
import { utf8Length } from "../text/utf8.ts";
import { banAddress } from "../chat/ban_list.ts";

/** Version of the message format; a message of another version is not ours. */
const FORMAT = 1;
/** Most names one `present` may carry, and lines one `said` may. */
const MAX_ITEMS = 100_000;
/** Longest a ban from the bus may have left: the longest `/ban`. */
const MAX_BAN_MS = MAX_MINUTES * 60_000;
/** Longest server id. */
const MAX_SERVER_ID = 64;

/**
 * The text of a bus message from `server`.
 *
 * @param server The sender's id.
 * @param message The message.
 * @returns JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBusMessage, parseBusMessage } from "./bus_wire.ts";
 * const text = encodeBusMessage("s1", { kind: "hello" });
 * assert.deepEqual(parseBusMessage(text, 100), { server: "s1", message: { kind: "hello" } });
 * ```
 */
export function encodeBusMessage(server: string, message: BusPacket): string {
  return JSON.stringify({ v: FORMAT, server, message });
}

/**
 * Reads a bus message, checking it as if a client had sent it.
 *
 * @param text What came off the bus.
 * @param maxLineBytes Longest text a line may have (`--max-line`).
 * @returns The sender and the message, or null for anything else.
 */
export function parseBusMessage(
  text: string,
  maxLineBytes: number,
): { server: string; message: BusPacket } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.v !== FORMAT) return null;
  const { server, message } = value;
  if (typeof server !== "string" || server === "" || server.length > MAX_SERVER_ID) return null;
  if (!isRecord(message)) return null;
  const line = (item: unknown): item is string =>
    typeof item === "string" && !item.includes("\n") && utf8Length(item) <= maxLineBytes;
  const nick = (item: unknown): item is string => typeof item === "string" && isValidNick(item);
  if (message.kind === "batch") {
    const { messages } = message;
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_ITEMS) {
      return null;
    }
    const parsed: BusMessage[] = [];
    for (const item of messages) {
      const one = isRecord(item) ? parseMessage(item, nick, line) : null;
      if (one === null) return null;
      parsed.push(one);
    }
    return { server, message: { kind: "batch", messages: parsed } };
  }
  const one = parseMessage(message, nick, line);
  return one === null ? null : { server, message: one };
}

function parseMessage(
  message: Record<string, unknown>,
  nick: (item: unknown) => item is string,
  line: (item: unknown) => item is string,
): BusMessage | null {
  switch (message.kind) {
    case "hello":
      return { kind: "hello" };
    case "present": {
      const { nicks, operators, since } = message;
      if (!Array.isArray(nicks) || nicks.length > MAX_ITEMS || !nicks.every(nick)) return null;
      const present: BusMessage = { kind: "present", nicks };
      if (operators !== undefined) {
        if (!Array.isArray(operators) || operators.length > nicks.length) return null;
        if (!operators.every(nick)) return null;
        present.operators = operators;
      }
      if (since !== undefined) {
        if (!Array.isArray(since) || since.length !== nicks.length) return null;
        if (!since.every((time) => Number.isSafeInteger(time) && time >= 0)) return null;
        present.since = since;
      }
      return present;
    }
    case "operator":
      return nick(message.nick) ? { kind: "operator", nick: message.nick } : null;
    case "ban": {
      const { address, ms } = message;
      if (!isBanAddress(address) || !nick(message.nick)) return null;
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 1 || ms > MAX_BAN_MS) return null;
      return { kind: "ban", address, nick: message.nick, ms };
    }
    case "unban":
      return isBanAddress(message.address) ? { kind: "unban", address: message.address } : null;
    case "ban refused": {
      const { by } = message;
      return nick(message.nick) && nick(by)
        ? { kind: "ban refused", nick: message.nick, by }
        : null;
    }
    case "private": {
      const { from, to, text } = message;
      if (!nick(from) || !nick(to) || !line(text)) return null;
      return { kind: "private", from, to, text };
    }
    case "event": {
      const event = parseEvent(message.event, nick, line);
      return event === null ? null : { kind: "event", event };
    }
    case "continued":
      return nick(message.nick) ? { kind: "continued", nick: message.nick } : null;
    case "moderate": {
      const { action, by, reason, minutes, near } = message;
      if (action !== "kick" && action !== "mute" && action !== "unmute" && action !== "ban") {
        return null;
      }
      if (!nick(message.nick) || !nick(by) || (reason !== null && !line(reason))) return null;
      if (typeof minutes !== "number" || !Number.isInteger(minutes)) return null;
      if (minutes < 0 || minutes > MAX_MINUTES) return null;
      const order = { kind: "moderate", action, nick: message.nick, by, reason, minutes } as const;
      if (near === undefined) return order;
      if (near !== null && !isBanAddress(near)) return null;
      return { ...order, near };
    }
    default:
      return null;
  }
}

function parseEvent(
  value: unknown,
  nick: (item: unknown) => item is string,
  line: (item: unknown) => item is string,
): ChatEvent | null {
  if (!isRecord(value)) return null;
  switch (value.kind) {
    case "joined":
      return nick(value.nick) ? { kind: "joined", nick: value.nick } : null;
    case "left": {
      const { reason, detail } = value;
      if (!nick(value.nick)) return null;
      if (reason !== null && !isNamedLeaveReason(reason)) return null;
      if (detail !== null && !line(detail)) return null;
      if (value.by !== undefined && !nick(value.by)) return null;
      const by = value.by === undefined ? {} : { by: value.by };
      return { kind: "left", nick: value.nick, reason, detail, ...by };
    }
    case "renamed":
      return nick(value.from) && nick(value.to)
        ? { kind: "renamed", from: value.from, to: value.to }
        : null;
    case "said": {
      const { texts } = value;
      if (!nick(value.nick) || !Array.isArray(texts) || texts.length === 0) return null;
      if (texts.length > MAX_ITEMS || !texts.every(line)) return null;
      return { kind: "said", nick: value.nick, texts, ...lineIds(value.ids, texts.length) };
    }
    case "acted":
      return nick(value.nick) && line(value.text)
        ? { kind: "acted", nick: value.nick, text: value.text, ...lineIds(value.ids, 1) }
        : null;
    default:
      return null;
  }
}

/** An address as a ban covers it, written as `banAddress()` writes it. */
function isBanAddress(value: unknown): value is string {
  return typeof value === "string" && value.length <= 64 && banAddress(value) === value;
}

/** The lines' ids of a `said` or `acted`, if they are well formed and one a line (else the room makes its own). */
function lineIds(ids: unknown, count: number): { ids?: string[] } {
  const valid = Array.isArray(ids) && ids.length === count &&
    ids.every((id) => typeof id === "string" && LINE_ID.test(id));
  return valid ? { ids } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
