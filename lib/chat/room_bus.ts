/**
 * What the servers of one room tell each other (`--redis`), and what the
 * room needs of the bus that carries it. The room (`chat_room.ts`) knows
 * only {@linkcode RoomBus}; `redis_bus.ts` is the one implementation.
 *
 * How the messages travel, and the checks on everything that comes off the
 * bus, belong to the bus (`../redis/bus_wire.ts`): the room sees only
 * messages that passed them.
 *
 * @module
 */

import type { ChatEvent } from "./chat_events.ts";

/** One message between the servers of a room. */
export type BusMessage =
  /** Something everyone sees (joined, left, renamed, said, acted). */
  | { kind: "event"; event: ChatEvent }
  /** A /msg to a member of another server. */
  | { kind: "private"; from: string; to: string; text: string }
  /** A server joined the bus (or came back to it): the others answer with `present`. */
  | { kind: "hello" }
  /** The members of the sending server, now. */
  | { kind: "present"; nicks: string[] }
  /** An operator's order on a member (`/kick`, `/mute`, `/unmute`); see {@linkcode ModerationOrder}. */
  | ({ kind: "moderate" } & ModerationOrder)
  /**
   * A page came back on the sending server under `nick` (its resume token
   * moved the name there): the server that held it lets its member go
   * without a leave.
   */
  | { kind: "continued"; nick: string };

/**
 * An operator's `/kick`, `/mute` or `/unmute` of `nick` (`--redis`): the
 * member's server carries it out, and every server tells its own members of a
 * mute or an unmute.
 */
export interface ModerationOrder {
  /** What to do. */
  action: "kick" | "mute" | "unmute";
  /** To whom. */
  nick: string;
  /** The operator's name. */
  by: string;
  /** A kick's reason as typed, or null. */
  reason: string | null;
  /** A mute's minutes; 0 for the others. */
  minutes: number;
}

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
   * @param id Its id (`chat_history.ts`), kept with it.
   */
  remember(line: string, id?: string): void;
  /**
   * The lines kept for late joiners, oldest first, with their ids.
   *
   * @returns Them, or none when the link is down.
   */
  history(): Promise<{ line: string; id?: string }[]>;
  /** Leaves the bus: this server's names are given back. */
  close(): Promise<void>;
  /**
   * Keeps a page's resume token (its hash) with the name it stands for, so
   * that the page can come back on any server of the room. Kept a while
   * after its server stops (it expires by itself).
   *
   * @param hash The token's SHA-256 in hex.
   * @param name The member's name now.
   */
  keepResume?(hash: string, name: string): void;
  /**
   * Forgets a token (its member left for good), if this server holds it.
   *
   * @param hash The token's SHA-256 in hex.
   */
  dropResume?(hash: string): void;
  /**
   * Moves the name a token stands for to this server, atomically: if
   * whoever held it is the member the token was given to (or nobody holds
   * it now), it is this server's from now on.
   *
   * @param hash The token's SHA-256 in hex.
   * @returns The name, and whether it was held (moved: the room saw no
   *   leave) or free (claimed again: a join to announce); null when the token
   *   is unknown, its name is someone else's now, or the link is down.
   */
  takeOver?(hash: string): Promise<{ name: string; moved: boolean } | null>;
}
