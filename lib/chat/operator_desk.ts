/**
 * What operators do in the room: `/op KEY`, then `/kick`, `/mute`,
 * `/unmute`, `/ban`, `/unban` and `/bans`, and what a mute or a ban means for
 * the others. The room hands these commands here and asks, for each line,
 * whether its sender is muted; everything the desk needs of the room is the
 * narrow {@linkcode DeskRoom}, so the room's own rules stay in `chat_room.ts`.
 *
 * A member is whatever the room's members are (its `ChatMember`): the desk
 * only needs its log address, its IP address, and a way to send it a line.
 *
 * @module
 */

import type { ChatCommand } from "./chat_commands.ts";
import { noticeFrame, visibleText } from "./chat_lines.ts";
import type { ChatTexts } from "./chat_texts.ts";
import { type Ban, banAddress, BanList } from "./ban_list.ts";
import { MAX_WRONG_KEYS, Operators } from "./operators.ts";
import type { BusMessage, ModerationOrder, SharedBan } from "./room_bus.ts";
import type { Logger } from "../log/logger.ts";

/** Milliseconds in a minute, for `/mute` and `/ban`. */
const MINUTE_MS = 60_000;

/** The commands only operators may use. */
export type OperatorCommand = Extract<
  ChatCommand,
  { kind: "kick" | "mute" | "unmute" | "ban" | "unban" | "bans" }
>;

/** What the desk tells the other servers besides orders (`--redis`). */
export type DeskNews = Extract<BusMessage, { kind: "operator" | "ban" | "unban" | "ban refused" }>;

/** What the desk needs of a member. */
export interface DeskMember {
  /** Its address for log lines. */
  readonly peer: string;
  /** Its IP address, for `/ban`; absent: it can be kicked, not banned. */
  readonly host?: string;
  /** Queues whole lines for it. */
  deliver(frame: Uint8Array): void;
}

/** What the desk needs of the room. */
export interface DeskRoom<M extends DeskMember> {
  /** The room's texts. */
  readonly texts: ChatTexts;
  /** The server's log. */
  readonly log: Logger;
  /**
   * Who holds a name: a member of this server and its name, `{ remote }`
   * with the name of a member of another server (`--redis`), null for nobody.
   */
  find(name: string): { member: M; nick: string } | { remote: string } | null;
  /**
   * Sends an order to the other servers (`--redis`).
   *
   * @returns False when there are none to send it to (no bus, or its link is down).
   */
  sendOrder(order: ModerationOrder): boolean;
  /**
   * Tells the other servers of an operator, a ban made or lifted (which the
   * room also keeps in the bus's store), or a `/ban` refused (`--redis`);
   * nothing without a bus or while its link is down.
   */
  share(news: DeskNews): void;
  /**
   * Takes a member out of the room for an operator's reason (the others are
   * told), sends it `lastLine`, and closes it once that is written.
   */
  remove(member: M, lastLine: string, leave: RemovedLeave): void;
  /** Sends a notice to every member of this server. */
  notifyAll(text: string): void;
}

/** How a removed member's leave is told: by an operator (and why), or for its wrong keys. */
export type RemovedLeave =
  | { reason: "removed"; by: string; detail: string | null }
  | { reason: "wrong key" };

/**
 * A room's operators, mutes and bans, and their commands.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OperatorDesk } from "./operator_desk.ts";
 * import { CHAT_TEXTS } from "./chat_texts.ts";
 * import { Logger } from "../log/logger.ts";
 * const room = {
 *   texts: CHAT_TEXTS.en,
 *   log: new Logger({ quiet: true }),
 *   find: () => null,
 *   remove: () => {},
 *   notifyAll: () => {},
 *   sendOrder: () => false,
 *   share: () => {},
 * };
 * const desk = new OperatorDesk(room, "0123456789abcdef");
 * const lines: string[] = [];
 * const ann = { peer: "a", deliver: (f: Uint8Array) => lines.push(new TextDecoder().decode(f)) };
 * desk.op(ann, "ann", "0123456789abcdef");
 * assert.equal(lines[0], "*** You are an operator now\n");
 * assert(desk.isOperator(ann));
 * ```
 */
export class OperatorDesk<M extends DeskMember> {
  readonly #room: DeskRoom<M>;
  readonly #operators: Operators<M>;
  readonly #bans = new BanList();

  /**
   * Opens the desk with no operators, mutes or bans.
   *
   * @param room What the desk needs of the room.
   * @param key The key of `/op KEY`; null: nobody can become an operator.
   */
  constructor(room: DeskRoom<M>, key: string | null) {
    this.#room = room;
    this.#operators = new Operators(key);
  }

  /**
   * Whether a member is an operator.
   *
   * @param member A member.
   * @returns True after its `/op` with the key.
   */
  isOperator(member: M): boolean {
    return this.#operators.has(member);
  }

  /**
   * The ban that refuses a connecting client's address, if any.
   *
   * @param host The client's IP address.
   * @returns The ban, or null.
   */
  banOf(host: string): Ban | null {
    return this.#bans.find(host, Date.now());
  }

  /**
   * Whether a member is muted; if so, it is told (not more than every few
   * seconds) that its line reaches nobody.
   *
   * @param member Who sent a line, a `/me` or a `/msg`.
   * @returns True when the line is to reach nobody.
   */
  silenced(member: M): boolean {
    const now = Date.now();
    const left = this.#operators.mutedFor(member, now);
    if (left === 0) return false;
    if (this.#operators.tellMuted(member, now)) {
      member.deliver(noticeFrame(this.#room.texts.chatYouAreMuted(Math.ceil(left / MINUTE_MS))));
    }
    return true;
  }

  /**
   * `/op KEY`: an operator, or a wrong try (logged with the address); the
   * last wrong try removes the member.
   *
   * @param member Who typed it.
   * @param nick Its name.
   * @param key The key typed.
   */
  op(member: M, nick: string, key: string): void {
    const { texts, log } = this.#room;
    const result = this.#operators.tryKey(member, key);
    switch (result) {
      case "already":
        return member.deliver(noticeFrame(texts.chatAlreadyOperator));
      case "operator":
        if (!log.quiet) log.info(texts.chatOperatorLog(nick), member.peer);
        this.#room.share({ kind: "operator", nick }); // --redis: /who marks it everywhere
        return member.deliver(noticeFrame(texts.chatOperatorNow));
      case "wrong":
      case "last wrong": {
        const tries = this.#operators.wrongTries(member);
        log.info(texts.chatWrongKeyLog(tries, MAX_WRONG_KEYS), member.peer);
        if (result === "wrong") {
          return member.deliver(noticeFrame(texts.chatWrongKey(MAX_WRONG_KEYS - tries)));
        }
        return this.#room.remove(member, texts.chatWrongKeyLast(tries), { reason: "wrong key" });
      }
    }
  }

  /**
   * An operator's command; anyone else is told only operators can.
   *
   * @param member Who typed it.
   * @param by Its name.
   * @param command The command.
   */
  command(member: M, by: string, command: OperatorCommand): void {
    const { texts, log } = this.#room;
    if (!this.#operators.has(member)) {
      return member.deliver(noticeFrame(texts.chatOperatorsOnly(`/${command.kind}`)));
    }
    const now = Date.now();
    if (command.kind === "bans") {
      const bans = this.#bans.list(now).map(({ address, nick, until }) => ({
        address,
        nick,
        minutesLeft: Math.ceil((until - now) / MINUTE_MS),
      }));
      return member.deliver(noticeFrame(texts.chatBans(bans)));
    }
    if (command.kind === "unban") {
      const ban = this.#bans.remove(command.address, now);
      if (ban === null) {
        return member.deliver(noticeFrame(texts.chatNotBanned(visibleText(command.address))));
      }
      if (!log.quiet) log.info(texts.chatUnbanned(ban.address, by), member.peer);
      this.#room.share({ kind: "unban", address: ban.address });
      return member.deliver(noticeFrame(texts.chatUnbanned(ban.address, by)));
    }
    const found = this.#room.find(command.name);
    if (found === null) {
      return member.deliver(noticeFrame(texts.chatNoSuchNick(visibleText(command.name))));
    }
    if ("remote" in found) {
      // Its server carries it out; a ban needs the member's address, which only its server has.
      const nick = found.remote;
      const order: ModerationOrder = {
        action: command.kind,
        nick,
        by,
        reason: command.kind === "kick" ? command.reason : null,
        minutes: command.kind === "mute" || command.kind === "ban" ? command.minutes : 0,
      };
      if (command.kind === "ban") {
        order.near = member.host === undefined ? null : banAddress(member.host);
      }
      if (!this.#room.sendOrder(order)) {
        return member.deliver(noticeFrame(texts.chatOnOtherServer(nick)));
      }
      // Everyone hears a kicked or banned member leave, from its server.
      if (order.action === "kick" || order.action === "ban") return;
      const text = order.action === "mute"
        ? texts.chatMuted(nick, by, order.minutes)
        : texts.chatUnmuted(nick, by);
      return this.#tell(member.peer, text);
    }
    const { member: target, nick } = found;
    switch (command.kind) {
      case "ban": {
        const near = member.host === undefined ? null : banAddress(member.host);
        if (this.#isNear(target, near)) {
          return member.deliver(noticeFrame(texts.chatBanOwnAddress(nick)));
        }
        return this.#ban(target, nick, by, command.minutes);
      }
      case "kick": {
        const why = command.reason === null ? null : visibleText(command.reason);
        const lastLine = texts.chatRemovedYou(by, why);
        return this.#room.remove(target, lastLine, {
          reason: "removed",
          by,
          detail: command.reason,
        });
      }
      case "mute":
      case "unmute": {
        const minutes = command.kind === "mute" ? command.minutes : 0;
        if (command.kind === "mute") this.#operators.mute(target, now + minutes * MINUTE_MS);
        else if (!this.#operators.unmute(target, now)) {
          return member.deliver(noticeFrame(texts.chatNotMuted(nick)));
        }
        // --redis: the other servers tell their members too.
        this.#room.sendOrder({ action: command.kind, nick, by, reason: null, minutes });
        const text = command.kind === "mute"
          ? texts.chatMuted(nick, by, minutes)
          : texts.chatUnmuted(nick, by);
        return this.#tell(member.peer, text);
      }
    }
  }

  /**
   * An operator's order from another server (`--redis`): carried out if the
   * member is here; a mute or an unmute is told to the members here in any case.
   *
   * @param order The order, checked by the bus.
   */
  received(order: ModerationOrder): void {
    const { texts } = this.#room;
    const { action, nick, by, reason, minutes } = order;
    const found = this.#room.find(nick);
    const here = found !== null && "member" in found ? found.member : null;
    if (action === "ban") {
      if (here === null) return;
      if (this.#isNear(here, order.near ?? null)) {
        return this.#room.share({ kind: "ban refused", nick, by });
      }
      return this.#ban(here, nick, by, minutes);
    }
    if (action === "kick") {
      if (here === null) return;
      const why = reason === null ? null : visibleText(reason);
      return this.#room.remove(here, texts.chatRemovedYou(by, why), {
        reason: "removed",
        by,
        detail: reason,
      });
    }
    if (here !== null && action === "mute") {
      this.#operators.mute(here, Date.now() + minutes * MINUTE_MS);
    }
    if (here !== null && action === "unmute") this.#operators.unmute(here, Date.now());
    this.#room.notifyAll(
      action === "mute" ? texts.chatMuted(nick, by, minutes) : texts.chatUnmuted(nick, by),
    );
  }

  /**
   * What another server says of bans (`--redis`): one made or lifted there,
   * or a `/ban` of ours refused because its member is at our operator's address.
   *
   * @param news The message, checked by the bus.
   */
  fromBus(news: Extract<DeskNews, { kind: "ban" | "unban" | "ban refused" }>): void {
    const now = Date.now();
    switch (news.kind) {
      case "ban":
        this.#bans.add(news.address, news.nick, news.ms, now);
        return;
      case "unban":
        this.#bans.remove(news.address, now);
        return;
      case "ban refused": {
        const found = this.#room.find(news.by);
        if (found === null || !("member" in found)) return;
        return found.member.deliver(noticeFrame(this.#room.texts.chatBanOwnAddress(news.nick)));
      }
    }
  }

  /**
   * Takes the bans kept in Redis (each time the link comes up), and says
   * which of this server's are not there: made while the link was down, or
   * lost with Redis's data. The room writes those back.
   *
   * @param bans The bans Redis keeps.
   * @returns This server's running bans that Redis does not have.
   */
  loadBans(bans: readonly SharedBan[]): SharedBan[] {
    const now = Date.now();
    const kept = new Set<string>();
    for (const ban of bans) {
      if (this.#bans.add(ban.address, ban.nick, ban.ms, now) !== null) kept.add(ban.address);
    }
    return this.#bans.list(now).filter(({ address }) => !kept.has(address)).map((
      { address, nick, until },
    ) => ({ address, nick, ms: until - now })).filter(({ ms }) => ms > 0);
  }

  /** Whether `target` is at the address `near` (the operator's): banning it would lock them out. */
  #isNear(target: M, near: string | null): boolean {
    return near !== null && target.host !== undefined && banAddress(target.host) === near;
  }

  /** Bans a member of this server's address (for every server), and removes it. */
  #ban(target: M, nick: string, by: string, minutes: number): void {
    const { texts } = this.#room;
    const ms = minutes * MINUTE_MS;
    const ban = target.host === undefined
      ? null
      : this.#bans.add(target.host, nick, ms, Date.now());
    if (ban !== null) this.#room.share({ kind: "ban", address: ban.address, nick, ms });
    const reason = texts.chatBanReason(minutes);
    const lastLine = texts.chatRemovedYou(by, reason);
    this.#room.remove(target, lastLine, { reason: "removed", by, detail: reason });
  }

  /** A mute or an unmute: logged, and the room told once. */
  #tell(peer: string, text: string): void {
    if (!this.#room.log.quiet) this.#room.log.info(text, peer);
    this.#room.notifyAll(text);
  }

  /**
   * Forgets a member that left (operator, wrong tries, mute).
   *
   * @param member Who left.
   */
  forget(member: M): void {
    this.#operators.forget(member);
  }

  /**
   * Hands a member's operator rights and mute to the member that took its
   * place (a page that reconnected): a muted member cannot shake off its mute so.
   *
   * @param old Who it was.
   * @param fresh Who it is now.
   */
  transfer(old: M, fresh: M): void {
    this.#operators.transfer(old, fresh);
  }

  /** Forgets every member (the room closed); bans end with the server. */
  clear(): void {
    this.#operators.clear();
  }
}
