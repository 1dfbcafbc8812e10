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
  | ({ kind: "moderate" } & ModerationOrder);

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
