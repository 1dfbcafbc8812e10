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
import type { NameHold } from "./remote_members.ts";

/** One message between the servers of a room. */
export type BusMessage =
  /** Something everyone sees (joined, left, renamed, said, acted). */
  | { kind: "event"; event: ChatEvent }
  /** A /msg to a member of another server. */
  | { kind: "private"; from: string; to: string; text: string }
  /** A server joined the bus (or came back to it): the others answer with `present`. */
  | { kind: "hello" }
  /**
   * The members of the sending server, now; `operators`: those of them who
   * are operators; `since`: when each took its name (the sender's clock), in
   * the order of `nicks`, which decides a clash after an outage.
   */
  | { kind: "present"; nicks: string[]; operators?: string[]; since?: number[] }
  /** An operator's order on a member (`/kick`, `/mute`, `/unmute`, `/ban`); see {@linkcode ModerationOrder}. */
  | ({ kind: "moderate" } & ModerationOrder)
  /** A member of the sending server became an operator (`/op`): `/who` marks it everywhere. */
  | { kind: "operator"; nick: string }
  /** A ban was made (kept in Redis too): every server refuses its address; see {@linkcode SharedBan}. */
  | ({ kind: "ban" } & SharedBan)
  /** A ban was lifted (`/unban`) on the sending server: every server lets the address in again. */
  | { kind: "unban"; address: string }
  /** A `/ban` of `nick` was refused by its server: `nick` is at the operator `by`'s own address. */
  | { kind: "ban refused"; nick: string; by: string }
  /**
   * A page came back on the sending server under `nick` (its resume token
   * moved the name there): the server that held it lets its member go
   * without a leave.
   */
  | { kind: "continued"; nick: string };

/** A ban as the servers of a room share it (`--redis`): its times are relative, clocks differ. */
export interface SharedBan {
  /** What is refused: an IPv4 address, or an IPv6 /64 (`ban_list.ts`'s `banAddress()`). */
  address: string;
  /** The name of the member it was made for. */
  nick: string;
  /** Milliseconds it has left. */
  ms: number;
}

/**
 * An operator's `/kick`, `/mute`, `/unmute` or `/ban` of `nick` (`--redis`):
 * the member's server carries it out (only it knows the member's address, for
 * a ban), and every server tells its own members of a mute or an unmute.
 */
export interface ModerationOrder {
  /** What to do. */
  action: "kick" | "mute" | "unmute" | "ban";
  /** To whom. */
  nick: string;
  /** The operator's name. */
  by: string;
  /** A kick's reason as typed, or null. */
  reason: string | null;
  /** A mute's or a ban's minutes; 0 for the others. */
  minutes: number;
  /**
   * A ban's: the operator's own address as a ban would cover it, or null when
   * unknown; the member's server refuses to ban that address (it would lock
   * the operator out).
   */
  near?: string | null;
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
   * @param server The id of the server it came from.
   */
  remote(message: BusMessage, server: string): void;
  /** The link to the other servers is down: from now on the room is this server's only. */
  linkLost(): void;
  /** The link is back (and the bus has said `hello`). */
  linkRestored(): void;
  /**
   * The room's bans as Redis keeps them, read each time the link comes up
   * (before {@linkcode BusListener.linkRestored}), and at `listen()` when the
   * link is up already.
   *
   * @param bans Each running ban.
   */
  bans(bans: SharedBan[]): void;
  /**
   * Redis answered a claim after the room stopped waiting (it decided alone)
   * and gave this server `name`: unless one of the room's members holds it,
   * the room gives it back, so that no name stays held by nobody.
   *
   * @param name The name claimed.
   */
  claimedLate(name: string): void;
}

/** One of this server's names and when its member took it: see `reclaimNames()`. */
export interface HeldName {
  /** The name. */
  nick: string;
  /** When its member took it, in `Date.now()` milliseconds. */
  since: number;
}

/** What {@linkcode RoomBus.claimGuestName} gives. */
export interface GuestClaim {
  /** The name claimed. */
  name: string;
  /** The names held on other servers when it was claimed, by whom since when. */
  holders: ({ nick: string } & NameHold)[];
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
   * @param since When the member takes it (now).
   * @returns Whether it was free; null when the link is down, or the answer
   *   was late (see {@linkcode BusListener.claimedLate}).
   */
  claimName(name: string, since: number): Promise<boolean | null>;
  /**
   * After an outage: this server's names become exactly `names` (names it
   * held before and gave up while cut off are given back), each one kept or
   * taken unless another server's member took it earlier. Which member keeps
   * a name taken twice is decided by each server from the others' `present`
   * (the same rule: `holdsFirst()` in `remote_members.ts`); this keeps the
   * store in step with that.
   *
   * @param names This server's names now.
   */
  reclaimNames(names: readonly HeldName[]): Promise<void>;
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
  /**
   * Keeps a ban for every server (and servers started later): in Redis, it
   * ends by itself when its time is up. Nothing while the link is down.
   *
   * @param ban The ban.
   * @param onlyIfNew Keep one Redis has for that address already (a ban
   *   written back after an outage); otherwise this one replaces it.
   */
  saveBan(ban: SharedBan, onlyIfNew: boolean): void;
  /**
   * Lifts a ban for every server (`/unban`).
   *
   * @param address The ban's address.
   */
  dropBan(address: string): void;
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
   * @returns The name, whether it was held (moved: the room saw no leave) or
   *   free (claimed again: a join to announce), and since when it was held
   *   (when known); null when the token is unknown, its name is someone
   *   else's now, or the link is down.
   */
  takeOver?(hash: string): Promise<{ name: string; moved: boolean; since?: number } | null>;
}
