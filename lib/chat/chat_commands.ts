/**
 * What a line typed in the chat asks for: text for the room, or a command.
 *
 * A line that starts with a single "/" is a command (`/nick alice`); the
 * command word may be in any case. A line that starts with "//" is text that
 * starts with "/" (the first "/" is dropped), so every text can still be said.
 * A line of nothing but spaces and tabs says nothing.
 *
 * Parsing is apart from the room so that the room deals in meanings only, and
 * so that the syntax is tested on its own.
 *
 * @module
 */

/** Commands that need an argument, for the usage line sent back when it is missing. */
export type ChatCommandWithArgs =
  | "nick"
  | "msg"
  | "me"
  | "op"
  | "kick"
  | "mute"
  | "unmute"
  | "ban"
  | "unban";

/** `/mute NAME` without minutes: this many. */
export const DEFAULT_MUTE_MINUTES = 10;
/** `/ban NAME` without minutes: this many. */
export const DEFAULT_BAN_MINUTES = 60;
/** Most minutes of a `/mute` or `/ban`: a week. */
export const MAX_MINUTES = 7 * 24 * 60;

/** A line, parsed. Texts are as typed: making them safe to show is the room's job. */
export type ChatCommand =
  /** Blank: ignored. */
  | { kind: "empty" }
  /** Text for everyone else. */
  | { kind: "say"; text: string }
  /** `/nick NAME`: `name` is everything after the command, unchecked. */
  | { kind: "nick"; name: string }
  /** `/who`. */
  | { kind: "who" }
  /** `/msg NAME TEXT`. */
  | { kind: "msg"; name: string; text: string }
  /** `/me TEXT`. */
  | { kind: "me"; text: string }
  /** `/quit [REASON]`: `reason` is null when none was given. */
  | { kind: "quit"; reason: string | null }
  /** `/help`. */
  | { kind: "help" }
  /** `/op KEY`: become an operator. */
  | { kind: "op"; key: string }
  /** `/kick NAME [REASON]` (operators): `reason` is null when none was given. */
  | { kind: "kick"; name: string; reason: string | null }
  /** `/mute NAME [MINUTES]` (operators). */
  | { kind: "mute"; name: string; minutes: number }
  /** `/unmute NAME` (operators). */
  | { kind: "unmute"; name: string }
  /** `/ban NAME [MINUTES]` (operators). */
  | { kind: "ban"; name: string; minutes: number }
  /** `/unban ADDRESS` (operators): `address` as typed. */
  | { kind: "unban"; address: string }
  /** `/bans` (operators). */
  | { kind: "bans" }
  /** A command without the argument it needs. */
  | { kind: "usage"; command: ChatCommandWithArgs }
  /** `/something` else: `command` is the word after "/", as typed. */
  | { kind: "unknown"; command: string };

/** Spaces and tabs between a command and its arguments. */
const SEPARATOR = /[ \t]+/;
const BLANK = /^[ \t]*$/;

/**
 * Parses one line a member sent.
 *
 * @param line Decoded text, without its "\n" (and "\r").
 * @returns What the line asks for; never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChatLine } from "./chat_commands.ts";
 * assert.deepEqual(parseChatLine("/msg bob hi there"), { kind: "msg", name: "bob", text: "hi there" });
 * assert.deepEqual(parseChatLine("//etc"), { kind: "say", text: "/etc" });
 * ```
 */
export function parseChatLine(line: string): ChatCommand {
  // Most lines are text that starts with neither "/" nor a blank: no regex for those.
  const first = line.charCodeAt(0); // NaN for ""
  if (first > 0x20 && first !== 0x2f) return { kind: "say", text: line };
  if (BLANK.test(line)) return { kind: "empty" };
  if (!line.startsWith("/")) return { kind: "say", text: line };
  if (line.startsWith("//")) return { kind: "say", text: line.slice(1) };
  const [word, rest] = splitWord(line.slice(1));
  const command = word.toLowerCase();
  switch (command) {
    case "nick": {
      const name = rest.trimEnd();
      return name === "" ? { kind: "usage", command: "nick" } : { kind: "nick", name };
    }
    case "msg": {
      const [name, text] = splitWord(rest);
      return name === "" || BLANK.test(text)
        ? { kind: "usage", command: "msg" }
        : { kind: "msg", name, text };
    }
    case "me":
      return BLANK.test(rest) ? { kind: "usage", command: "me" } : { kind: "me", text: rest };
    case "quit": {
      const reason = rest.trimEnd();
      return { kind: "quit", reason: reason === "" ? null : reason };
    }
    // Arguments are ignored: "/who all" still answers.
    case "who":
      return { kind: "who" };
    case "help":
      return { kind: "help" };
    case "op": {
      const key = rest.trim();
      return key === "" ? { kind: "usage", command: "op" } : { kind: "op", key };
    }
    case "kick": {
      const [name, reason] = splitWord(rest);
      if (name === "") return { kind: "usage", command: "kick" };
      return { kind: "kick", name, reason: BLANK.test(reason) ? null : reason.trimEnd() };
    }
    case "mute":
    case "ban": {
      const [name, minutes] = splitWord(rest.trimEnd());
      const fallback = command === "mute" ? DEFAULT_MUTE_MINUTES : DEFAULT_BAN_MINUTES;
      const count = minutes === "" ? fallback : parseMinutes(minutes);
      return name === "" || count === null
        ? { kind: "usage", command }
        : { kind: command, name, minutes: count };
    }
    case "unban": {
      const [address, more] = splitWord(rest.trimEnd());
      return address === "" || more !== ""
        ? { kind: "usage", command: "unban" }
        : { kind: "unban", address };
    }
    case "bans":
      return { kind: "bans" };
    case "unmute": {
      const [name, more] = splitWord(rest.trimEnd());
      return name === "" || more !== ""
        ? { kind: "usage", command: "unmute" }
        : { kind: "unmute", name };
    }
    default:
      return { kind: "unknown", command: word };
  }
}

/**
 * Whether a line is a private message (`/msg NAME TEXT`): the transports log
 * every line a member sends but these, whose text is nobody's business but
 * the two people's (the room logs who sent one to whom instead).
 *
 * @param line Decoded text, without its "\n" (and "\r").
 * @returns True for a `/msg` with a name and a text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPrivateMessage } from "./chat_commands.ts";
 * assert(isPrivateMessage("/MSG bob 悄悄话"));
 * assert(!isPrivateMessage("//msg bob is text"));
 * ```
 */
export function isPrivateMessage(line: string): boolean {
  // Most lines do not start with "/": no parsing for those.
  return line.charCodeAt(0) === 0x2f && parseChatLine(line).kind === "msg";
}

/**
 * Whether a line must stay out of the log: a private message (whose text is
 * nobody's business but the two people's; the room logs who wrote to whom)
 * or `/op KEY` (the key would be in the log for anyone who reads it).
 *
 * @param line Decoded text, without its "\n" (and "\r").
 * @returns True for `/msg NAME TEXT` and `/op KEY`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUnloggedLine } from "./chat_commands.ts";
 * assert(isUnloggedLine("/op secret-key") && isUnloggedLine("/msg bob hi"));
 * assert(!isUnloggedLine("hello"));
 * ```
 */
export function isUnloggedLine(line: string): boolean {
  if (line.charCodeAt(0) !== 0x2f) return false; // most lines: no parsing
  const kind = parseChatLine(line).kind;
  return kind === "msg" || kind === "op";
}

/** Whole minutes from 1 to {@linkcode MAX_MINUTES}, or null. */
function parseMinutes(text: string): number | null {
  if (!/^[0-9]{1,6}$/.test(text)) return null;
  const minutes = Number(text);
  return minutes >= 1 && minutes <= MAX_MINUTES ? minutes : null;
}

/** The text up to the first space or tab, and the text after the spaces and tabs that follow. */
function splitWord(text: string): [string, string] {
  const separator = SEPARATOR.exec(text);
  if (separator === null) return [text, ""];
  return [text.slice(0, separator.index), text.slice(separator.index + separator[0].length)];
}
