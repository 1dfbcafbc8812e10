/**
 * What the servers of one room tell each other (`--redis`), and what the
 * room needs of the bus that carries it. The room (`chat_room.ts`) knows
 * only {@linkcode RoomBus}; `redis_bus.ts` is the one implementation.
 *
 * Everything that comes off the bus is checked as if a client had sent it
 * ({@linkcode parseBusMessage}): a message that is not ours, or that breaks a
 * rule (a name the name rule refuses, a line over the limit), is dropped.
 *
 * @module
 */

import { isValidNick } from "./chat_names.ts";
import type { ChatEvent, LeaveReason } from "./chat_room.ts";
import { utf8Length } from "../text/utf8.ts";

/** One message between the servers of a room. */
export type BusMessage =
  /** Something everyone sees (joined, left, renamed, said, acted). */
  | { kind: "event"; event: ChatEvent }
  /** A /msg to a member of another server. */
  | { kind: "private"; from: string; to: string; text: string }
  /** A server joined the bus (or came back to it): the others answer with `present`. */
  | { kind: "hello" }
  /** The members of the sending server, now. */
  | { kind: "present"; nicks: string[] };

/**
 * What goes over the wire: one message, or several in order (what a server
 * publishes in one turn goes as one, like the lines of one read).
 */
export type BusPacket = BusMessage | { kind: "batch"; messages: BusMessage[] };

/** What the room does with the bus's news; the bus calls it. */
export interface BusListener {
  /**
   * A message from another server (never one of this server's own).
   *
   * @param message What it said, checked.
   */
  remote(message: BusMessage): void;
  /** The link to the other servers is down: from now on the room is this server's only. */
  linkLost(): void;
  /** The link is back (and the bus has said `hello`). */
  linkRestored(): void;
}

/** What {@linkcode RoomBus.claimGuestName} gives. */
export interface GuestClaim {
  /** The name claimed. */
  name: string;
  /** The names held on other servers when it was claimed. */
  holders: string[];
}

/** The room's side of a bus between servers. */
export interface RoomBus {
  /** This server's id on the bus. */
  readonly serverId: string;
  /** Whether the link to the other servers is up now. */
  readonly linked: boolean;
  /**
   * Starts passing the bus's news to `listener`.
   *
   * @param listener The room.
   */
  listen(listener: BusListener): void;
  /**
   * Claims the lowest free `guestN` of the whole room, and says who holds
   * the other names at that moment: the newcomer's welcome then names
   * people whose join has not come over the bus yet.
   *
   * @returns The name and the room's names, or null when the link is down
   *   (the room then picks a name itself).
   */
  claimGuestName(): Promise<GuestClaim | null>;
  /**
   * Claims a name for a member of this server, atomically across servers.
   *
   * @param name The name.
   * @returns Whether it was free; null when the link is down.
   */
  claimName(name: string): Promise<boolean | null>;
  /**
   * Gives a name back (the member left or took another).
   *
   * @param name The name.
   */
  releaseName(name: string): void;
  /**
   * Sends a message to the other servers; dropped while the link is down
   * (never queued: lines from before an outage must not arrive after it).
   *
   * @param message The message.
   */
  publish(message: BusMessage): void;
  /**
   * Keeps a line for late joiners of every server.
   *
   * @param line One line as delivered, without its "\n".
   */
  remember(line: string): void;
  /**
   * The lines kept for late joiners, oldest first.
   *
   * @returns Them, or none when the link is down.
   */
  history(): Promise<string[]>;
  /** Leaves the bus: this server's names are given back. */
  close(): Promise<void>;
}

/** Version of the message format; a message of another version is not ours. */
const FORMAT = 1;
/** Most names one `present` may carry, and lines one `said` may. */
const MAX_ITEMS = 100_000;
/** Longest server id. */
const MAX_SERVER_ID = 64;

const LEAVE_REASONS: ReadonlySet<string> = new Set<NonNullable<LeaveReason>>([
  "quit",
  "connection lost",
  "idle",
  "too slow",
  "line too long",
  "flooding",
  "server lost",
]);

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
 * import { encodeBusMessage, parseBusMessage } from "./room_bus.ts";
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
      const { nicks } = message;
      if (!Array.isArray(nicks) || nicks.length > MAX_ITEMS || !nicks.every(nick)) return null;
      return { kind: "present", nicks };
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
      if (reason !== null && !(typeof reason === "string" && LEAVE_REASONS.has(reason))) {
        return null;
      }
      if (detail !== null && !line(detail)) return null;
      return { kind: "left", nick: value.nick, reason: reason as LeaveReason, detail };
    }
    case "renamed":
      return nick(value.from) && nick(value.to)
        ? { kind: "renamed", from: value.from, to: value.to }
        : null;
    case "said": {
      const { texts } = value;
      if (!nick(value.nick) || !Array.isArray(texts) || texts.length === 0) return null;
      if (texts.length > MAX_ITEMS || !texts.every(line)) return null;
      return { kind: "said", nick: value.nick, texts };
    }
    case "acted":
      return nick(value.nick) && line(value.text)
        ? { kind: "acted", nick: value.nick, text: value.text }
        : null;
    default:
      return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
