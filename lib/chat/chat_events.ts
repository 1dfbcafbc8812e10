/**
 * The room's vocabulary: the changes every member sees ({@linkcode ChatEvent})
 * and why someone left ({@linkcode LeaveReason}). The room renders them,
 * the bus between servers carries them, and the texts name each reason, so
 * they live apart from all three; the leave reasons are written once, in
 * {@linkcode LEAVE_REASONS}, and the type, the bus's check and the texts'
 * records all derive from that list.
 *
 * @module
 */

/**
 * Every reason a member can leave for, besides just closing its connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LEAVE_REASONS } from "./chat_events.ts";
 * assert(LEAVE_REASONS.includes("too slow"));
 * ```
 */
export const LEAVE_REASONS = [
  "quit",
  "connection lost",
  "idle",
  "too slow",
  "line too long",
  /** More lines waiting than a browser member may queue (it cannot be read more slowly). */
  "flooding",
  /** Its server stopped answering on the bus (`--redis`). */
  "server lost",
  /** The third wrong operator key (`/op`). */
  "wrong key",
  /** An operator removed the member (`/kick`); the event names who (`by`). */
  "removed",
] as const;

/** A named reason for leaving: one of {@linkcode LEAVE_REASONS}. */
export type NamedLeaveReason = typeof LEAVE_REASONS[number];

/** Why a member left; null when it just closed its connection. */
export type LeaveReason = NamedLeaveReason | null;

/**
 * Whether a value is one of the {@linkcode LEAVE_REASONS}: for what comes
 * off the bus, which is checked as if a client had sent it.
 *
 * @param value Anything.
 * @returns True for a named leave reason.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isNamedLeaveReason } from "./chat_events.ts";
 * assert(isNamedLeaveReason("idle"));
 * assert(!isNamedLeaveReason("bored"));
 * ```
 */
export function isNamedLeaveReason(value: unknown): value is NamedLeaveReason {
  return typeof value === "string" && (LEAVE_REASONS as readonly string[]).includes(value);
}

/**
 * A change to the room that every member sees: what a bus between servers
 * would carry. Texts are as sent; the room makes them safe when it renders them.
 */
export type ChatEvent =
  | { kind: "joined"; nick: string }
  | {
    kind: "left";
    nick: string;
    reason: LeaveReason;
    detail: string | null;
    /** With the reason "removed": the operator who removed it. */
    by?: string;
  }
  | { kind: "renamed"; from: string; to: string }
  /**
   * One or more lines of one member, in order (the lines of one read go
   * together); `ids`: each line's id in the history (`chat_history.ts`),
   * given by the server where it was said.
   */
  | { kind: "said"; nick: string; texts: readonly string[]; ids?: readonly string[] }
  | { kind: "acted"; nick: string; text: string; ids?: readonly string[] };
