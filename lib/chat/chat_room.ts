/**
 * Chat mode's room: who is here under which name, what each line a member
 * sends means, and who gets which lines. No sockets: a member is anything that
 * implements {@linkcode ChatMember} (a TCP session today, a browser later),
 * so the room is tested with fakes.
 *
 * Every line the server writes itself starts with `*** `; a person's text
 * comes after a prefix the server wrote (`[nick] `, `* nick `), with its
 * control characters made visible (the shapes: `chat_lines.ts`). So nobody
 * can forge a notice, move another member's cursor or reverse the rest of a
 * line.
 *
 * Each line is encoded to UTF-8 once and the same bytes go to every
 * recipient: a broadcast costs one encode plus one `deliver()` per member.
 * The history for late joiners keeps those bytes.
 *
 * Everything that everyone sees (join, leave, rename, text, /me) is a
 * {@linkcode ChatEvent} that goes through one method, then to the members of
 * this process and, with `--redis`, over the {@linkcode RoomBus} to the other
 * servers, whose events reach our members the same way. Members of other
 * servers hold their names here too (a /msg to one goes over the bus).
 *
 * NOTE: at about 1,000 lines, this is lib/'s largest file, on purpose: it keeps
 * the room's rules (joins, commands, the fan-out, what other servers say) in
 * one place, as each reads and changes the same names and members. What
 * stands alone is beside it: who is here (`chat_roster.ts`), the name rules
 * (`chat_names.ts`), the other servers' members (`remote_members.ts`), the
 * shapes of lines (`chat_lines.ts`), the history (`chat_history.ts`) and
 * what operators do (`operator_desk.ts`). The first part to move out if it
 * grows: what the room does after an outage (`#clash()`, `#linkRestored()`).
 *
 * @module
 */

import { type ChatCommand, parseChatLine } from "./chat_commands.ts";
import { eventFrame, joinFrames, noticeFrame, privateFrame, visibleText } from "./chat_lines.ts";
import { ChatHistory, type HistoryPart } from "./chat_history.ts";
import { MAX_NICK_LENGTH, nickKey, nickProblem, NickRegistry } from "./chat_names.ts";
import { Roster } from "./chat_roster.ts";
import { holdsFirst, RemoteMember, RemoteMembers } from "./remote_members.ts";
import type { BusMessage, GuestClaim, RoomBus, SharedBan } from "./room_bus.ts";
import type { Logger } from "../log/logger.ts";
import { OperatorDesk, type RemovedLeave } from "./operator_desk.ts";
import type { Ban } from "./ban_list.ts";

import type { MessageLog } from "../log/message_log.ts";
import type { ChatTexts } from "./chat_texts.ts";
import type { ChatEvent, LeaveReason } from "./chat_events.ts";
import type { ChatMember } from "./chat_member.ts";

const decoder = new TextDecoder();
/** Most names the welcome lists. */
const WELCOME_NAMES = 30;

/** Options for {@linkcode ChatRoom}. */
export interface ChatRoomOptions {
  /** The room's texts in the server's language. */
  texts: ChatTexts;
  /** Where joins, leaves and renames are logged (not with `quiet`). */
  log: Logger;
  /**
   * The server's log of received lines. The transport logs each line there
   * before it calls {@linkcode ChatRoom.receive}, but a /msg: the room logs who
   * sent that to whom, without its text. It also makes a /quit reason safe for
   * the log with it.
   */
  messageLog: MessageLog;
  /** Lines people sent kept for late joiners (`--history`); 0 = none. */
  historySize: number;
  /**
   * The bus to the other servers of the room (`--redis`); none: this
   * process is the whole room.
   */
  bus?: RoomBus;
  /** The key of `/op KEY`; none: nobody can become an operator. */
  operatorKey?: string;
  /**
   * Whether the room has a key (`--key-file`; its sessions check it): /help
   * says so.
   *
   * @default {false}
   */
  keyed?: boolean;
}

/**
 * A chat room: joins, commands, fan-out and history.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChatRoom } from "./chat_room.ts";
 * import { Logger } from "../log/logger.ts";
 * import { MessageLog } from "../log/message_log.ts";
 * import { TEXTS } from "../text/texts.ts";
 * import { CHAT_TEXTS } from "./chat_texts.ts";
 * const log = new Logger({ quiet: true });
 * const messageLog = new MessageLog(log, TEXTS.en);
 * const room = new ChatRoom({ texts: CHAT_TEXTS.en, log, messageLog, historySize: 20 });
 * const seen: string[] = [];
 * const member = (peer: string) => ({
 *   peer,
 *   deliver: (frame: Uint8Array) => seen.push(`${peer} ${new TextDecoder().decode(frame)}`),
 *   membersChanged: () => {},
 *   hangUp: () => {},
 * });
 * const ann = member("a"), bob = member("b");
 * room.join(ann);
 * room.join(bob);
 * room.receive(ann, "hello");
 * assert.equal(seen.at(-1), "b [guest1] hello\n");
 * ```
 */
export class ChatRoom {
  /** The room's texts: its own lines, and the notices its members write themselves (shutdown, too slow). */
  readonly texts: ChatTexts;
  readonly #log: Logger;
  readonly #messageLog: MessageLog;
  /** Who is here and under which name, in the order they came. */
  readonly #members = new Roster<ChatMember>();
  /** Every name of the room, ours and other servers', for lookups ignoring case and guest numbers. */
  readonly #names = new NickRegistry<ChatMember | RemoteMember>();
  /** Members of other servers (`--redis`), holding their names in `#names` too. */
  readonly #remote = new RemoteMembers(this.#names);
  /** When each member took its name (`Date.now()`): after an outage, the first holder keeps it. */
  readonly #since = new Map<ChatMember, number>();
  /** Members losing their name to another server's first holder (a guest name is being claimed). */
  readonly #losing = new Set<ChatMember>();
  /** A `present` is to go out once this turn is done (see `#remoteEvent()`). */
  #presenceDue = false;
  readonly #bus: RoomBus | null;
  /** Members whose name the bus is claiming; they are not in the room yet. */
  readonly #joining = new Set<ChatMember>();
  /** Lines of members whose /nick the bus is checking: carried out after it, in order. */
  readonly #held = new Map<ChatMember, string[]>();
  /** Lines people sent, for late joiners. */
  readonly #history: ChatHistory;
  /** Events that come while a fan-out runs (a deliver() can make a member leave as too slow). */
  readonly #pending: [event: ChatEvent, except: ChatMember | null, fromHere: boolean][] = [];
  #publishing = false;
  /** Members in the room whose join the others have not been told of yet (see `announce()`). */
  readonly #unannounced = new Set<ChatMember>();
  /** The member being sent its welcome: the others have not been told it joined. */
  #welcoming: ChatMember | null = null;
  #closed = false;
  /** Operators, mutes and bans (`/op`, `/kick`, ...): `operator_desk.ts`. */
  readonly #desk: OperatorDesk<ChatMember>;
  /** The hash of each page's resume token, kept in the bus with its name (`--redis`). */
  readonly #tokens = new Map<ChatMember, string>();

  /**
   * Opens an empty room.
   *
   * @param options See {@linkcode ChatRoomOptions}.
   * @throws {RangeError} If `historySize` is not a whole number of 0 or more.
   */
  /** Whether the room has a key (/help says so). */
  readonly #keyed: boolean;

  constructor(options: ChatRoomOptions) {
    this.#history = new ChatHistory(options.historySize);
    this.texts = options.texts;
    this.#log = options.log;
    this.#messageLog = options.messageLog;
    this.#bus = options.bus ?? null;
    this.#keyed = options.keyed ?? false;
    this.#desk = new OperatorDesk({
      texts: this.texts,
      log: this.#log,
      find: (name) => {
        const holder = this.#names.holderOf(name);
        if (holder instanceof RemoteMember) return { remote: holder.nick };
        const nick = holder === undefined ? undefined : this.#members.nickOf(holder);
        return holder === undefined || nick === undefined ? null : { member: holder, nick };
      },
      remove: (member, lastLine, leave) => this.#remove(member, lastLine, leave),
      notifyAll: (text) => this.#notifyAll(text),
      sendOrder: (order) => {
        if (this.#bus?.linked !== true) return false;
        this.#bus.publish({ kind: "moderate", ...order });
        return true;
      },
      share: (news) => {
        const bus = this.#bus;
        if (bus?.linked !== true) return;
        // Kept in Redis for servers that start later, or come back after an outage.
        if (news.kind === "ban") bus.saveBan(news, false);
        if (news.kind === "unban") bus.dropBan(news.address);
        bus.publish(news);
      },
    }, options.operatorKey ?? null);
    this.#bus?.listen({
      remote: (message, server) => this.#fromBus(message, server),
      linkLost: () => this.#linkLost(),
      linkRestored: () => this.#linkRestored(),
      bans: (bans) => this.#bansLoaded(bans),
      claimedLate: (name) => this.#claimedLate(name),
    });
  }

  /** How many members are in the room. */
  get size(): number {
    return this.#members.size;
  }

  /**
   * Everyone's name, in the order they came (for a browser's list of who is here).
   *
   * @returns The names.
   */
  names(): string[] {
    return [...this.#members.nicks(), ...this.#remote.nicks()];
  }

  /**
   * Whether a member is an operator (`/op KEY`): its lines are not held back by `--rate`.
   *
   * @param member A member.
   * @returns True for an operator.
   */
  isOperator(member: ChatMember): boolean {
    return this.#desk.isOperator(member);
  }

  /**
   * The ban that refuses a connecting client (`/ban`), if any: the server
   * sends it one line and closes it, and nothing of it reaches the room.
   *
   * @param host The client's IP address.
   * @returns The ban, or null.
   */
  banOf(host: string): Ban | null {
    return this.#desk.banOf(host);
  }

  /**
   * Takes the lines kept by the bus for late joiners (at start, with `--redis`).
   *
   * @param lines Lines as delivered, oldest first, without their "\n".
   */
  restoreHistory(lines: readonly (string | { line: string; id?: string })[]): void {
    this.#history.restore(lines);
  }

  /**
   * The ids of the history lines a frame holds (people's lines), for a
   * transport that sends them along so that a page can come back where it was.
   *
   * @param frame A frame the room delivered.
   * @returns The ids, one a line, or undefined (a notice, a private message).
   */
  lineIdsOf(frame: Uint8Array): readonly string[] | undefined {
    return this.#history.idsOf(frame);
  }

  /**
   * Puts `fresh` in the place of `old`, which is in the room: a page that
   * reconnected, before the server noticed (or while it keeps the name of
   * one whose connection dropped). Same name, place, operator rights and
   * mute; nobody is told, and `old` is no longer in the room (its transport
   * closes it without a leave).
   *
   * @param old The member whose connection is gone (or going).
   * @param fresh The new connection's member, not in the room.
   * @param after The id of the last line the page showed (null: none).
   * @returns The name, or undefined when `old` is not in the room.
   */
  replace(old: ChatMember, fresh: ChatMember, after: string | null): string | undefined {
    const nick = this.#members.nickOf(old);
    if (nick === undefined || this.#closed || this.#members.has(fresh)) return undefined;
    this.#held.delete(old);
    this.#members.replace(old, fresh);
    this.#names.delete(nick);
    this.#names.add(nick, fresh);
    this.#desk.transfer(old, fresh);
    if (this.#unannounced.delete(old)) this.#unannounced.add(fresh);
    const token = this.#tokens.get(old);
    this.#tokens.delete(old);
    if (token !== undefined) this.#tokens.set(fresh, token);
    if (!this.#log.quiet) this.#log.info(this.texts.chatResumedLog(nick), fresh.peer);
    this.#welcomeBack(fresh, nick, after);
    return nick;
  }

  /**
   * Notes a page's resume token (its hash): with `--redis`, kept in the bus
   * with the member's name (and its next names), so that the page can come
   * back on another server; forgotten there when the member leaves.
   *
   * @param member A member in the room.
   * @param hash The token's SHA-256 in hex.
   */
  tokenIssued(member: ChatMember, hash: string): void {
    const nick = this.#members.nickOf(member);
    if (nick === undefined) return;
    this.#tokens.set(member, hash);
    this.#bus?.keepResume?.(hash, nick);
  }

  /**
   * A page came back on this server with a token another server gave it
   * (`--redis`): the bus moves its name here (`RoomBus.takeOver()`). A name
   * that moved comes with no join (the room saw no leave); the server that
   * had it lets its member go. A name that was free is claimed again, and
   * the member joins as usual.
   *
   * @param member The new connection's member, not in the room.
   * @param hash The token's SHA-256 in hex.
   * @param after The id of the last line the page showed (null: none).
   * @returns Whether the member is in (false: unknown token, or no link;
   *   join it as usual).
   */
  async resumeFromBus(member: ChatMember, hash: string, after: string | null): Promise<boolean> {
    const bus = this.#bus;
    if (bus?.takeOver === undefined || !bus.linked || this.#closed) return false;
    if (this.#members.has(member) || this.#joining.has(member)) return false;
    this.#joining.add(member);
    const got = await bus.takeOver(hash).catch(() => null);
    if (!this.#joining.delete(member) || this.#closed || got === null) return false;
    const holder = this.#names.holderOf(got.name);
    if (holder !== undefined && !(holder instanceof RemoteMember)) return false; // ours: not moved
    this.#remote.left(got.name, null); // its other server's member, which this member now is
    this.#tokens.set(member, hash);
    if (!got.moved) {
      this.#admit(member, got.name);
      return true;
    }
    this.#names.add(got.name, member);
    this.#members.add(member, got.name);
    this.#since.set(member, got.since ?? Date.now()); // it has held the name since then
    if (!this.#log.quiet) this.#log.info(this.texts.chatResumedLog(got.name), member.peer);
    this.#welcomeBack(member, got.name, after);
    bus.publish({ kind: "continued", nick: got.name });
    this.#members.membersChanged(member);
    return true;
  }

  /** Another server has the page of one of ours now: ours goes, nobody is told (`continued`). */
  #continuedElsewhere(nick: string, server: string): void {
    const holder = this.#names.holderOf(nick);
    if (holder instanceof RemoteMember) return;
    if (holder !== undefined) {
      this.#members.remove(holder);
      this.#names.delete(nick);
      this.#held.delete(holder);
      this.#desk.forget(holder);
      this.#since.delete(holder);
      this.#tokens.delete(holder); // the other server keeps it now
      if (holder.continued !== undefined) holder.continued();
      else holder.hangUp();
    }
    if (this.#remote.add(nick, server)) this.#members.membersChanged(null);
  }

  /** What a page that came back is sent: one line, then the lines said since it last saw one. */
  #welcomeBack(member: ChatMember, nick: string, after: string | null): void {
    const missed: HistoryPart = this.#history.since(after);
    member.deliver(noticeFrame(this.texts.chatWelcomeBack(nick, missed.lines.length)));
    if (missed.lines.length === 0) return;
    if (member.deliverEarlier === undefined) member.deliver(joinFrames(missed.lines));
    else member.deliverEarlier(joinFrames(missed.lines), missed.ids, false);
  }

  /**
   * The nickname of a member.
   *
   * @param member A member.
   * @returns Its name, or undefined if it is not in the room.
   */
  nickOf(member: ChatMember): string | undefined {
    return this.#members.nickOf(member);
  }

  /**
   * Adds a member under the lowest free guest name: sends it the welcome and
   * the history in one frame, and tells the others. Does nothing for a member
   * already in the room, or once the room is closed.
   *
   * @param member The newcomer.
   * @param options `announceLater`: the others are told only at `announce()`
   *   or its first line, and not at all if it leaves before (a browser's spare
   *   connection, a port scanner). `wanted`: a name to join under if it is
   *   free (a page coming back after a server restart); otherwise the member
   *   gets a guest name.
   * @returns With a linked bus, a promise settled once the member is in
   *   (its name is claimed across servers first); otherwise nothing: it is in.
   */
  join(
    member: ChatMember,
    options: { announceLater?: boolean; wanted?: string } = {},
  ): Promise<void> | undefined {
    if (this.#closed || this.#members.has(member) || this.#joining.has(member)) return;
    if (options.announceLater === true) this.#unannounced.add(member);
    const { wanted } = options;
    const name = wanted !== undefined && nickProblem(wanted) === null &&
        this.#names.holderOf(wanted) === undefined
      ? wanted
      : undefined;
    const bus = this.#bus;
    if (bus === null || !bus.linked) {
      return this.#admit(member, name ?? this.#names.nextGuestName());
    }
    this.#joining.add(member);
    const asGuest = () =>
      bus.claimGuestName().then(
        (claimed) => this.#admitClaimed(member, claimed),
        () => this.#admitClaimed(member, null),
      );
    if (name === undefined) return asGuest();
    return bus.claimName(name, Date.now()).then(
      (claimed) => claimed === true ? this.#admitClaimed(member, { name, holders: [] }) : asGuest(),
      asGuest,
    );
  }

  /** A member whose guest name the bus claimed (null: the link went down meanwhile). */
  #admitClaimed(member: ChatMember, claim: GuestClaim | null): void {
    const claimed = claim?.name ?? null;
    // People whose join has not come over the bus yet: named in the welcome, not announced later.
    this.#addRemotes(claim?.holders ?? []);
    const stillJoining = this.#joining.delete(member);
    if (!stillJoining || this.#closed) {
      if (claimed !== null) this.#bus?.releaseName(claimed); // it left while we waited
      return;
    }
    // A name the bus gave that is held here after all (an outage's leftovers): one of ours instead.
    const free = claimed !== null && this.#names.holderOf(claimed) === undefined;
    if (claimed !== null && !free) this.#bus?.releaseName(claimed);
    this.#admit(member, free ? claimed : this.#names.nextGuestName());
  }

  /** Adds a member under `nick`: welcome and history to it, a notice to the others. */
  #admit(member: ChatMember, nick: string): undefined {
    // The first names only: in a room of thousands, naming everyone on every join would cost
    // each join a line as long as the room (and the room N² bytes); /who names everyone.
    const others: string[] = [];
    // Members not announced yet are not named: the newcomer hears them join when they are.
    for (const [other, name] of this.#members.entries()) {
      if (others.length === WELCOME_NAMES) break;
      if (!this.#unannounced.has(other)) others.push(name);
    }
    for (const name of this.#remote.nicks()) {
      if (others.length === WELCOME_NAMES) break;
      others.push(name);
    }
    const unannounced = this.#unannounced.size - (this.#unannounced.has(member) ? 1 : 0);
    const notNamed = this.#members.size - unannounced + this.#remote.size - others.length;
    this.#names.add(nick, member);
    this.#members.add(member, nick);
    this.#since.set(member, Date.now());
    if (!this.#log.quiet) this.#log.info(this.texts.chatJoined(nick), member.peer);
    // The welcome comes before the others hear of the newcomer: a history larger than the
    // member's queue drops it as too slow right here, and then nobody needs to hear of it.
    this.#welcoming = member;
    const welcome = [noticeFrame(this.texts.chatWelcome(nick, others, notNamed))];
    const { lines: earlier, ids } = this.#history.since(null);
    // Late joiners can tell the history from what is said now: one line says how much follows.
    if (earlier.length > 0) welcome.push(noticeFrame(this.texts.chatEarlierLines(earlier.length)));
    if (member.deliverEarlier === undefined || earlier.length === 0) {
      member.deliver(joinFrames([...welcome, ...earlier]));
    } else {
      member.deliver(joinFrames(welcome));
      if (this.#members.has(member)) member.deliverEarlier(joinFrames(earlier), ids);
    }
    this.#welcoming = null;
    if (this.#members.has(member) && !this.#unannounced.has(member)) {
      this.#publish({ kind: "joined", nick }, member);
    }
  }

  /**
   * Tells the others that a member who joined with `announceLater` is here;
   * does nothing if they were told already or it is not in the room.
   *
   * @param member The member.
   */
  announce(member: ChatMember): void {
    if (!this.#unannounced.delete(member)) return;
    const nick = this.#members.nickOf(member);
    if (nick !== undefined) this.#publish({ kind: "joined", nick }, member);
  }

  /**
   * Handles one line the member sent: text for the others, or a command.
   * Lines of a member that is not in the room (it left) are ignored.
   *
   * @param member Who sent it.
   * @param line Decoded text, without its "\n" and "\r".
   */
  receive(member: ChatMember, line: string): void {
    this.receiveLines(member, [line]);
  }

  /**
   * Handles the lines one read of a member held, in order. Text lines in a
   * row go to the others as one frame: under load a receiver then gets one
   * write per read of each sender, not one per line.
   *
   * @param member Who sent them.
   * @param lines Decoded texts, each without its "\n" and "\r".
   */
  receiveLines(member: ChatMember, lines: readonly string[]): void {
    if (this.#unannounced.size > 0) this.announce(member); // the others hear of it before its line
    const held = this.#held.get(member);
    if (held !== undefined) {
      held.push(...lines); // after the /nick the bus is checking
      return;
    }
    let said: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!this.#members.has(member)) return; // it quit, or was dropped, halfway
      const command = parseChatLine(lines[i]!);
      if (command.kind === "empty") continue; // ignored, and no reason to split the run
      if (command.kind === "say") {
        said.push(command.text);
        continue;
      }
      if (said.length > 0) this.#say(member, said);
      said = [];
      this.#command(member, command);
      this.#held.get(member)?.push(...lines.slice(i + 1));
      if (this.#held.has(member)) return;
    }
    if (said.length > 0) this.#say(member, said);
  }

  #say(member: ChatMember, texts: string[]): void {
    const nick = this.#members.nickOf(member);
    if (nick !== undefined && !this.#desk.silenced(member)) {
      this.#publish({ kind: "said", nick, texts }, member);
    }
  }

  /** Carries out a line that is not plain text. */
  #command(member: ChatMember, command: ChatCommand): void {
    const nick = this.#members.nickOf(member);
    if (nick === undefined) return;
    const texts = this.texts;
    switch (command.kind) {
      case "empty":
      case "say":
        return;
      case "me":
        if (this.#desk.silenced(member)) return;
        return this.#publish({ kind: "acted", nick, text: command.text }, member);
      case "nick":
        return this.#rename(member, nick, command.name);
      case "msg":
        if (this.#desk.silenced(member)) return;
        return this.#whisper(member, nick, command.name, command.text);
      case "quit":
        return this.#quit(member, command.reason);
      case "who":
        return member.deliver(noticeFrame(texts.chatWho(this.#whoNames())));
      case "op":
        return this.#desk.op(member, nick, command.key);
      case "help": {
        const help = texts.chatHelp(nick) + (this.#keyed ? "\n" + texts.chatHelpRoomKey : "");
        const forOperators = this.#desk.isOperator(member) ? "\n" + texts.chatOperatorHelp : "";
        return member.deliver(noticeFrame(help + forOperators));
      }
      case "kick":
      case "mute":
      case "unmute":
      case "ban":
      case "unban":
      case "bans":
        return this.#desk.command(member, nick, command);
      case "usage":
        return member.deliver(noticeFrame(texts.chatUsage(command.command)));
      case "unknown":
        return member.deliver(noticeFrame(texts.chatUnknownCommand(visibleText(command.command))));
    }
  }

  /** Everyone's name for /who, operators marked `@alice`. */
  #whoNames(): string[] {
    const names: string[] = [];
    for (const [member, nick] of this.#members.entries()) {
      names.push(this.#desk.isOperator(member) ? `@${nick}` : nick);
    }
    for (const { nick, operator } of this.#remote.members()) {
      names.push(operator ? `@${nick}` : nick);
    }
    return names;
  }

  /** Out of the room for an operator's reason (`operator_desk.ts`), a last line, then closed. */
  #remove(member: ChatMember, lastLine: string, leave: RemovedLeave): void {
    member.deliver(noticeFrame(lastLine));
    if (leave.reason === "removed") {
      this.leave(member, "removed", leave.detail ?? undefined, leave.by);
    } else {
      this.leave(member, leave.reason);
    }
    member.hangUp();
  }

  /**
   * Removes a member and tells the others; does nothing if it already left
   * (safe to call twice). Only /quit calls `hangUp()`: for any other reason
   * the transport is closing already.
   *
   * @param member Who leaves.
   * @param reason Why, shown in parentheses (translated); null for none.
   * @param detail The /quit or /kick reason, shown as the member wrote it.
   * @param by With the reason "removed": the operator who removed it.
   */
  leave(member: ChatMember, reason: LeaveReason, detail?: string, by?: string): void {
    const wasAnnounced = !this.#unannounced.delete(member);
    if (this.#joining.delete(member)) return; // never in; its claimed name is given back
    this.#held.delete(member);
    this.#desk.forget(member);
    this.#since.delete(member);
    this.#losing.delete(member);
    const token = this.#tokens.get(member);
    if (token !== undefined) this.#bus?.dropResume?.(token);
    this.#tokens.delete(member);
    const nick = this.#members.remove(member);
    if (nick === undefined) return;
    this.#names.delete(nick);
    this.#bus?.releaseName(nick);
    const removedBy = reason === "removed" && by !== undefined ? { by } : {};
    const quitReason = (reason === "quit" || reason === "removed") && detail !== undefined &&
        detail !== ""
      ? detail
      : null;
    if (!this.#log.quiet && removedBy.by !== undefined) {
      const why = quitReason === null ? null : this.#messageLog.printable(quitReason);
      this.#log.info(this.texts.chatRemoved(nick, removedBy.by, why), member.peer);
    } else if (!this.#log.quiet) {
      const logReason = quitReason !== null
        ? this.texts.chatQuitLogReason(this.#messageLog.printable(quitReason))
        : reason === null
        ? null
        : this.texts.chatLeaveReason(reason);
      this.#log.info(this.texts.chatLeft(nick, logReason), member.peer);
    }
    if (member === this.#welcoming) return; // the others were never told it joined
    const left: ChatEvent = { kind: "left", nick, reason, detail: quitReason, ...removedBy };
    // Never announced: nobody here heard of it. Other servers may have counted its claimed name
    // (a newcomer's welcome there names it): they are told, and drop it if they did.
    if (!wasAnnounced) this.#bus?.publish({ kind: "event", event: left });
    else this.#publish(left, null);
  }

  /**
   * Empties the room for good when the server stops: nobody is announced as
   * leaving (the transport tells every client the server stops), and later
   * calls do nothing.
   */
  close(): void {
    // The other servers' members hear ours leave; ours are told by the transport.
    if (this.#bus?.linked) {
      for (const nick of this.#members.nicks()) {
        this.#bus.publish({
          kind: "event",
          event: { kind: "left", nick, reason: null, detail: null },
        });
      }
    }
    this.#closed = true;
    this.#members.clear();
    this.#since.clear();
    this.#losing.clear();
    this.#remote.forgetAll();
    this.#joining.clear();
    this.#unannounced.clear();
    this.#held.clear();
    this.#tokens.clear(); // kept in the bus: the pages can come back on another server
    this.#desk.clear();
    this.#history.clear();
    this.#pending.length = 0;
  }

  /** `/nick`: checks the name, then tells everyone, the member too. */
  #rename(member: ChatMember, from: string, to: string): void {
    const texts = this.texts;
    const problem = nickProblem(to);
    if (problem !== null) {
      return member.deliver(noticeFrame(
        problem.kind === "scripts"
          ? texts.chatMixedScripts(to, problem.scripts) // well-formed: nothing to make visible
          : texts.chatInvalidNick(visibleText(to), MAX_NICK_LENGTH),
      ));
    }
    if (to === from) return member.deliver(noticeFrame(texts.chatNickUnchanged(from)));
    const holder = this.#names.holderOf(to);
    // The holder may be the member itself: changing the case of one's own name is allowed.
    if (holder !== undefined && holder !== member) {
      return member.deliver(noticeFrame(texts.chatNickTaken(to)));
    }
    const bus = this.#bus;
    if (bus === null || !bus.linked) return this.#renamed(member, from, to);
    // Another server may hold the name, or want it this very moment: the bus decides. The
    // member's next lines wait, so that they come after the rename, as sent.
    this.#held.set(member, []);
    const decided = (claimed: boolean | null) => {
      const held = this.#held.get(member) ?? [];
      this.#held.delete(member);
      const holder = this.#names.holderOf(to);
      const free = holder === undefined || holder === member;
      if (this.#members.nickOf(member) !== from || claimed === false || !free) {
        if (claimed === true && nickKey(to) !== nickKey(from)) bus.releaseName(to);
        if (this.#members.has(member)) member.deliver(noticeFrame(texts.chatNickTaken(to)));
      } else {
        if (nickKey(to) !== nickKey(from)) bus.releaseName(from);
        this.#renamed(member, from, to);
      }
      if (held.length > 0) this.receiveLines(member, held);
    };
    bus.claimName(to, Date.now()).then(decided, () => decided(null));
  }

  /** Gives a member its new name and tells everyone. */
  #renamed(member: ChatMember, from: string, to: string): void {
    this.#names.delete(from);
    this.#names.add(to, member);
    this.#members.rename(member, to);
    this.#since.set(member, Date.now());
    const token = this.#tokens.get(member);
    if (token !== undefined) this.#bus?.keepResume?.(token, to);
    if (!this.#log.quiet) this.#log.info(this.texts.chatRenamed(from, to), member.peer);
    this.#publish({ kind: "renamed", from, to }, null);
  }

  /** `/msg`: one frame for the addressee and, as confirmation, the sender; never history. */
  #whisper(member: ChatMember, from: string, name: string, text: string): void {
    const target = this.#names.holderOf(name);
    // The transport left the line out of the log: who wrote to whom goes in, never the text.
    if (this.#messageLog.enabled) {
      const to = target instanceof RemoteMember
        ? target.nick
        : (target && this.#members.nickOf(target)) ?? this.#messageLog.printable(name);
      this.#messageLog.receivedAs(member.peer, this.texts.chatPrivateLog(from, to));
    }
    if (target instanceof RemoteMember) {
      const to = target.nick;
      this.#bus?.publish({ kind: "private", from, to, text });
      return toSender(member, privateFrame(from, to, text));
    }
    const to = target === undefined ? undefined : this.#members.nickOf(target);
    if (target === undefined || to === undefined) {
      return member.deliver(noticeFrame(this.texts.chatNoSuchNick(visibleText(name))));
    }
    const frame = privateFrame(from, to, text);
    if (target !== member) target.deliver(frame);
    toSender(member, frame);
  }

  /**
   * `/quit`: out of the room, a last line so that the member sees it left (nc shows nothing
   * of a close), then the transport closes once it has written what it has.
   */
  #quit(member: ChatMember, reason: string | null): void {
    this.leave(member, "quit", reason ?? undefined);
    member.deliver(noticeFrame(this.texts.chatBye));
    member.hangUp();
  }

  /**
   * The one way a change reaches the members. A fan-out that makes someone
   * leave (its deliver() overflowed) finishes before that leave is told, so
   * everyone sees the same lines in the same order.
   */
  #publish(event: ChatEvent, except: ChatMember | null): void {
    // People's lines get their ids here, where they are said: every server keeps the same ones.
    if (event.kind === "said" || event.kind === "acted") {
      const ids = this.#history.newIds(event.kind === "said" ? event.texts.length : 1);
      if (ids !== undefined) event = { ...event, ids };
    }
    this.#bus?.publish({ kind: "event", event });
    this.#deliverEvent(event, except, true);
  }

  /** What another server of the room says (`--redis`); checked by the bus already. */
  #fromBus(message: BusMessage, server: string): void {
    if (this.#closed) return;
    switch (message.kind) {
      case "hello":
        return this.#bus?.publish(this.#presence());
      case "present": {
        // Another server's members, learned again (after an outage, or when we said hello).
        const { nicks, since } = message;
        const holders = nicks.map((nick, i) => ({ nick, server, since: since?.[i] ?? Date.now() }));
        for (const holder of holders) this.#clash(holder);
        this.#addRemotes(holders);
        for (const nick of message.operators ?? []) this.#remote.setOperator(nick);
        return;
      }
      case "operator":
        this.#remote.setOperator(message.nick);
        return;
      case "ban":
      case "unban":
      case "ban refused":
        return this.#desk.fromBus(message);
      case "private": {
        const target = this.#names.holderOf(message.to);
        if (target === undefined || target instanceof RemoteMember) return;
        return target.deliver(
          privateFrame(message.from, this.#members.nickOf(target)!, message.text),
        );
      }
      case "event":
        return this.#remoteEvent(message.event, server);
      case "moderate":
        return this.#desk.received(message);
      case "continued":
        return this.#continuedElsewhere(message.nick, server);
    }
  }

  /** An event of another server's member: the names here follow it, and our members see it. */
  #remoteEvent(event: ChatEvent, server: string): void {
    switch (event.kind) {
      case "joined":
        if (!this.#remote.add(event.nick, server)) return;
        break;
      case "left": {
        // A server lost is announced by whichever server noticed: its members are anyone's.
        const lost = event.reason === "server lost";
        if (this.#remote.left(event.nick, lost ? null : server)) break;
        const holder = this.#names.holderOf(event.nick);
        // Ours: this server was taken for lost (its key expired while Redis was away, before it
        // came back), or the lost one held our name too. The name is free in Redis now: ours
        // again; and the others, who were told we left, hear who we have.
        if (lost && holder !== undefined && !(holder instanceof RemoteMember)) {
          this.#bus?.claimName(event.nick, this.#since.get(holder) ?? Date.now()).catch(() => {});
          if (!this.#presenceDue) {
            this.#presenceDue = true;
            queueMicrotask(() => {
              this.#presenceDue = false;
              if (!this.#closed) this.#bus?.publish(this.#presence());
            });
          }
        }
        return;
      }
      case "renamed": {
        const followed = this.#remote.renamed(event.from, event.to, server);
        if (followed === null) return;
        // A member that lost its name after an outage: new here under its guest name.
        if (followed === "added") return this.#members.membersChanged(null);
        break;
      }
      case "said":
      case "acted":
        break;
    }
    this.#deliverEvent(event, null, false);
  }

  /**
   * Notes members of other servers; if that adds anyone, our members are
   * told who is here changed (a member joining now is not in the room yet: it
   * gets the list once it is in).
   */
  #addRemotes(holders: GuestClaim["holders"]): void {
    let added = false;
    for (const { nick, server, since } of holders) {
      added = this.#remote.add(nick, server, since) || added;
    }
    if (added) this.#members.membersChanged(null);
  }

  /**
   * Another server has a member under a name one of ours holds too (both
   * took it while the link was down): the first holder keeps it. If that is
   * theirs, ours gets a guest name and is told why; otherwise their server
   * renames theirs, on our `present`.
   */
  #clash(theirs: GuestClaim["holders"][number]): void {
    const member = this.#names.holderOf(theirs.nick);
    const bus = this.#bus;
    if (member === undefined || member instanceof RemoteMember || bus?.linked !== true) return;
    // (Unlinked, the bus is still registering: the answer to its hello comes once it is linked.)
    const ours = { since: this.#since.get(member) ?? Date.now(), server: bus.serverId };
    if (holdsFirst(ours, theirs) || this.#losing.has(member)) return;
    const nick = this.#members.nickOf(member)!;
    this.#losing.add(member);
    const renamed = (fresh: string) => {
      if (!this.#losing.delete(member) || this.#members.nickOf(member) !== nick) return;
      member.deliver(noticeFrame(this.texts.chatNameLost(nick, fresh)));
      this.#renamed(member, nick, fresh);
      this.#addRemotes([theirs]);
    };
    bus.claimGuestName().then(
      (claim) => renamed(claim?.name ?? this.#names.nextGuestName()),
      () => renamed(this.#names.nextGuestName()),
    );
  }

  /** A claim Redis answered too late (`RoomBus`): given back unless one of ours holds the name. */
  #claimedLate(name: string): void {
    const holder = this.#names.holderOf(name);
    const nick = holder === undefined ? undefined : this.#members.nickOf(holder as ChatMember);
    if (nick !== undefined && nickKey(nick) === nickKey(name)) return;
    this.#bus?.releaseName(name);
  }

  /** The bus is down: the room is this server's alone until it is back; our members are told. */
  #linkLost(): void {
    const hadRemote = this.#remote.forgetAll();
    this.#notifyAll(this.texts.chatLinkLost);
    if (hadRemote) this.#members.membersChanged(null);
  }

  /** The bus is back: our names are claimed again (a clash renames ours), and our members told. */
  #linkRestored(): void {
    const bus = this.#bus;
    if (bus === null) return;
    this.#notifyAll(this.texts.chatLinkRestored);
    for (const [member, nick] of this.#members.entries()) {
      const token = this.#tokens.get(member);
      if (token !== undefined) bus.keepResume?.(token, nick); // a Redis that restarted lost them
    }
    // Our names again in Redis, and names we gave up while cut off given back. Who keeps a name
    // taken twice meanwhile, each server decides alike from the others' present (#clash()).
    const held = [...this.#members.entries()].map(([member, nick]) => ({
      nick,
      since: this.#since.get(member) ?? Date.now(),
    }));
    bus.reclaimNames(held).catch(() => {});
    bus.publish(this.#presence());
  }

  /** Who is here, for the other servers: our members, and which of them are operators. */
  #presence(): BusMessage {
    const nicks: string[] = [];
    const operators: string[] = [];
    const since: number[] = [];
    for (const [member, nick] of this.#members.entries()) {
      nicks.push(nick);
      since.push(this.#since.get(member) ?? Date.now());
      if (this.#desk.isOperator(member)) operators.push(nick);
    }
    return { kind: "present", nicks, operators, since };
  }

  /**
   * The bans Redis keeps, each time the link comes up: every server refuses
   * them. Ours that Redis lacks (made while the link was down, or lost with
   * Redis's data) are written back, and the other servers told.
   */
  #bansLoaded(bans: SharedBan[]): void {
    const bus = this.#bus;
    if (bus === null || this.#closed) return;
    for (const ban of this.#desk.loadBans(bans)) {
      bus.saveBan(ban, true);
      bus.publish({ kind: "ban", ...ban });
    }
  }

  #notifyAll(text: string): void {
    const frame = noticeFrame(text);
    this.#members.deliver(frame, null, false);
  }

  /** Delivers an event to the members of this server. */
  #deliverEvent(event: ChatEvent, except: ChatMember | null, fromHere: boolean): void {
    if (this.#publishing) {
      this.#pending.push([event, except, fromHere]);
      return;
    }
    this.#publishing = true;
    try {
      this.#fanOut(event, except, fromHere);
      for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
        this.#fanOut(...next);
      }
    } finally {
      this.#publishing = false;
      this.#pending.length = 0;
    }
  }

  /** Renders an event once and delivers the same bytes to each member here but `except`. */
  #fanOut(event: ChatEvent, except: ChatMember | null, fromHere: boolean): void {
    const frame = eventFrame(event, this.texts);
    // People's lines are kept for late joiners; ours also in the bus's history, for every server.
    if (event.kind === "said" || event.kind === "acted") {
      const bus = fromHere ? this.#bus : null;
      this.#history.keep(
        frame,
        event.ids,
        bus === null ? undefined : (line, id) => bus.remember(decoder.decode(line), id),
      );
    }
    const notice = event.kind === "joined" || event.kind === "left" || event.kind === "renamed";
    this.#members.deliver(frame, except, notice);
    if (event.kind === "said" || event.kind === "acted") except?.ownLines?.(frame);
    // Every notice is a join, leave or rename: who is here changed.
    if (notice) this.#members.membersChanged(except);
  }
}

/** A member's own `/msg`, back to it: as its own line where its transport shows those. */
function toSender(member: ChatMember, frame: Uint8Array): void {
  if (member.ownLines === undefined) member.deliver(frame);
  else member.ownLines(frame);
}
