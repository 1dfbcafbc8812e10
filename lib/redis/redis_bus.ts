/**
 * One room over several servers (`--redis URL`): the {@linkcode RoomBus} on
 * Redis, with node-redis (`@redis/client`).
 *
 * What lives in Redis, under `tcp-toolkit:ROOM:`:
 * - `names`, a hash from each name (lower case, `nickKey()`) to
 *   `SERVER\tName\tSINCE` (SINCE: when the member took it, in milliseconds):
 *   a claim is one atomic script, so two servers asking for one name at the
 *   same moment cannot both get it, and `guestN` numbers are shared (the
 *   script takes the lowest free one). After an outage each server claims its
 *   names again with their SINCE, and the earlier holder keeps a name taken
 *   twice; a claim Redis answers too late to wait for is given back then,
 *   unless the room gave that very name to a member meanwhile;
 * - `server:ID`, one key per live server, refreshed every
 *   {@linkcode HEARTBEAT_MS} and gone {@linkcode SERVER_TTL_MS} after its
 *   server stopped refreshing it; `servers`, the set of ids. Each server
 *   looks for ids whose key is gone; the first to reap one (a script, so only
 *   once) frees its names and tells everyone they left (`server lost`);
 * - `history`, a stream capped at `--history` lines, each with its id;
 * - `resume:HASH`, for each page that can come back (`../web/web_resume.ts`),
 *   the SHA-256 of its token to `SERVER\tkey\tName`: a page that comes back
 *   on another server moves its name there ({@linkcode RedisBus.takeOver},
 *   one script), which says so on the channel (`continued`), and the server
 *   that had it lets its member go. Expires {@linkcode RESUME_TTL_MS} after
 *   its last change (a server that died leaves its keys behind);
 * - `ban:ADDRESS`, one key per ban (`/ban`), holding whom it was made for and
 *   set to expire when the ban ends, so Redis ends it by itself with no
 *   sweeping; `bans`, the set of banned addresses, which lets a server read
 *   them all without scanning the keyspace (each read prunes the addresses
 *   whose key is gone). A server reads them each time its link comes up;
 *   while it runs, the bus's `ban` and `unban` messages keep it in step;
 * - the channel `events`, where each server publishes what its members do.
 *
 * When Redis goes away the room goes on locally: the room is told
 * (`linkLost()`), publishes are dropped rather than queued (node-redis's
 * offline queue is off, so nothing stale floods the room later), and the
 * client reconnects with backoff and jitter; once back, the server registers
 * again, says `hello` (the others answer with who they have) and the room
 * claims its names again (`linkRestored()`).
 *
 * @module
 */

import type { createClient as CreateClient } from "@redis/client";
import { isValidNick, nickKey } from "../chat/chat_names.ts";
import { resultWithin, waitAtMost } from "../stream/deadline.ts";
import type { Logger } from "../log/logger.ts";
import type {
  BusListener,
  BusMessage,
  BusPacket,
  GuestClaim,
  HeldName,
  RoomBus,
  SharedBan,
} from "../chat/room_bus.ts";
import { banAddress, MAX_BANS } from "../chat/ban_list.ts";
import { encodeBusMessage, parseBusMessage } from "./bus_wire.ts";
import { LINE_ID } from "../chat/chat_history.ts";
import type { ChatTexts } from "../chat/chat_texts.ts";

/** How often a server refreshes its key and looks for servers that are gone. */
export const HEARTBEAT_MS = 2000;
/** How long a server's key outlives its last refresh: a killed server's people leave within about this plus {@linkcode HEARTBEAT_MS}. */
export const SERVER_TTL_MS = 6000;
/** How long a page's resume token outlives its last change in Redis. */
export const RESUME_TTL_MS = 12 * 60 * 60 * 1000;
/** Longest wait for Redis at start before the server opens with a local room (it keeps trying). */
const FIRST_CONNECT_MS = 3000;
/** Longest wait for a name claim; past it the room decides alone, as when the link is down. */
export const CLAIM_MS = 2000;
/** Longest message taken off the channel; a larger one is not ours. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How often at most the log says that something on the channel was ignored. */
const IGNORED_LOG_MS = 60_000;

/** Options for {@linkcode RedisBus.open}. */
export interface RedisBusOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** The room's name (`--room`); servers with the same URL and room are one room. */
  room: string;
  /** Longest line (`--max-line`): the limit for lines from the bus too. */
  maxLineBytes: number;
  /** Lines kept for late joiners (`--history`). */
  historySize: number;
  /** The server's log. */
  log: Logger;
  /** The room's texts in the server's language (for the link's log lines). */
  texts: ChatTexts;
}

type Client = ReturnType<typeof CreateClient>;

/**
 * node-redis, loaded only when `--redis` is given. Its name is in a variable
 * so that Deno does not see the import when it loads server.ts: a static (or
 * literal) import would make every start fetch the npm packages, which a
 * fresh machine without internet could not do, even without `--redis`.
 */
const REDIS_CLIENT_MODULE = "npm:@redis/client@6.3.1";

/**
 * Claims a name if it is free or already this server's. KEYS: names. ARGV:
 * key, server, name, since.
 */
const CLAIM = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.sub(v, 1, #ARGV[2] + 1) ~= ARGV[2] .. '\\t' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\t' .. ARGV[3] .. '\\t' .. ARGV[4])
return 1`;

/**
 * Claims the lowest free guestN, and returns its number followed by every
 * holder (`SERVER\tName\tSINCE`) at that moment. KEYS: names. ARGV: server,
 * prefix, since.
 */
const CLAIM_GUEST = `
local i = 1
while redis.call('HSETNX', KEYS[1], ARGV[2] .. i,
    ARGV[1] .. '\\t' .. ARGV[2] .. i .. '\\t' .. ARGV[3]) == 0 do
  i = i + 1
end
local holders = redis.call('HVALS', KEYS[1])
table.insert(holders, 1, i)
return holders`;

/** Gives a name back if this server holds it. KEYS: names. ARGV: key, server. */
const RELEASE = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.sub(v, 1, #ARGV[2] + 1) == ARGV[2] .. '\\t' then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

/**
 * Moves the name of a resume token to this server, if it is still held by
 * the server and under the name the token records, or free: returns the name,
 * 1 (moved) or 0 (claimed again), and since when it is held (kept when moved),
 * or nil. KEYS: names, resume key. ARGV: server, TTL in ms, now.
 */
const TAKE_OVER = `
local r = redis.call('GET', KEYS[2])
if not r then return nil end
local s, k, n = string.match(r, '^([^\t]*)\t([^\t]*)\t(.*)$')
if not s then return nil end
local v = redis.call('HGET', KEYS[1], k)
local moved = 0
local since = ARGV[3]
if v then
  local held = s .. '\t' .. n .. '\t'
  if string.sub(v, 1, #held) ~= held then return nil end
  since = string.sub(v, #held + 1)
  moved = 1
end
redis.call('HSET', KEYS[1], k, ARGV[1] .. '\t' .. n .. '\t' .. since)
redis.call('SET', KEYS[2], ARGV[1] .. '\t' .. k .. '\t' .. n, 'PX', ARGV[2])
return {n, moved, since}`;

/** Deletes a resume key if this server holds it. KEYS: resume key. ARGV: server. */
const DROP_RESUME = `
local r = redis.call('GET', KEYS[1])
if r and string.sub(r, 1, #ARGV[1] + 1) == ARGV[1] .. '\t' then redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Frees the names of a server whose key is gone, once: returns them (empty
 * for every other caller). KEYS: names, servers. ARGV: dead id, key prefix.
 */
const REAP = `
if redis.call('EXISTS', ARGV[2] .. ARGV[1]) == 1 then return {} end
if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return {} end
local gone = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local v = all[i + 1]
  if string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. '\\t' then
    redis.call('HDEL', KEYS[1], all[i])
    table.insert(gone, string.match(string.sub(v, #ARGV[1] + 2), '^[^\\t]*'))
  end
end
return gone`;

/**
 * After an outage: this server's names become exactly those given (any other
 * it holds is given back), each kept or taken unless another server's holder
 * took it earlier (the lower SINCE; on a tie the lower server id, as
 * `holdsFirst()` decides). KEYS: names. ARGV: server, then key, name, since
 * for each name.
 */
const RECLAIM = `
local server = ARGV[1]
local mine = {}
for i = 2, #ARGV, 3 do mine[ARGV[i]] = true end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i + 1], 1, #server + 1) == server .. '\\t' and not mine[all[i]] then
    redis.call('HDEL', KEYS[1], all[i])
  end
end
for i = 2, #ARGV, 3 do
  local v = redis.call('HGET', KEYS[1], ARGV[i])
  local take = not v or string.sub(v, 1, #server + 1) == server .. '\\t'
  if not take then
    local other, since = string.match(v, '^([^\\t]*)\\t[^\\t]*\\t(%d+)$')
    local ours = tonumber(ARGV[i + 2])
    take = since == nil or ours < tonumber(since) or (ours == tonumber(since) and server < other)
  end
  if take then
    redis.call('HSET', KEYS[1], ARGV[i], server .. '\\t' .. ARGV[i + 1] .. '\\t' .. ARGV[i + 2])
  end
end
return 0`;

/**
 * The running bans: `address, nick, ms left` for each, and the addresses
 * whose key expired are taken out of the set. KEYS: bans. ARGV: ban key
 * prefix, most bans.
 */
const LOAD_BANS = `
local out = {}
for _, address in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local ms = redis.call('PTTL', ARGV[1] .. address)
  if ms <= 0 then
    redis.call('SREM', KEYS[1], address)
  elseif #out < 3 * tonumber(ARGV[2]) then
    table.insert(out, address)
    table.insert(out, redis.call('GET', ARGV[1] .. address) or '')
    table.insert(out, ms)
  end
end
return out`;

/**
 * Keeps a ban until it ends (with NX: unless one for the address is kept
 * already). KEYS: ban key, bans. ARGV: address, nick, ms, "NX" or "".
 */
const SAVE_BAN = `
if ARGV[4] == 'NX' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX')
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
redis.call('SADD', KEYS[2], ARGV[1])
return 0`;

/**
 * The room's bus over Redis.
 */
export class RedisBus implements RoomBus {
  readonly serverId: string = crypto.randomUUID();
  readonly #options: RedisBusOptions;
  readonly #commands: Client;
  readonly #subscriber: Client;
  readonly #prefix: string;
  /** How each message this server publishes starts. */
  readonly #ownStart: string;
  #listener: BusListener | null = null;
  /** Whether the room was last told the link is up. */
  #linked = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #lastIgnoredLog = -Infinity;
  /** Messages published this turn, sent together at its end. */
  #outgoing: BusMessage[] = [];
  #closing = false;
  /**
   * Set by {@linkcode RedisBus.startLogging}: the link's changes are logged
   * from then on (after the server's ready lines, which come first on stdout).
   */
  #started = false;
  /** Redis's TLS certificate was refused as untrusted (said once, once logging started). */
  #untrustedCertificate: "no" | "seen" | "said" = "no";
  /** The registration after the link came up, while it runs. */
  #registration: Promise<void> | null = null;
  /** The bans read when the link last came up, and when (for a listener that comes later). */
  #linkBans: { bans: SharedBan[]; at: number } | null = null;

  private constructor(options: RedisBusOptions, createClient: typeof CreateClient) {
    this.#options = options;
    this.#prefix = `tcp-toolkit:${options.room}:`;
    const sample = encodeBusMessage(this.serverId, { kind: "hello" });
    this.#ownStart = sample.slice(0, sample.indexOf(this.serverId) + this.serverId.length + 1);
    this.#commands = createClient({
      url: options.url,
      // RESP3's handshake reads an environment variable: --allow-net alone refuses it.
      maintNotifications: "disabled",
      // While Redis is away, commands fail at once instead of waiting to flood it later.
      disableOfflineQueue: true,
      socket: { connectTimeout: FIRST_CONNECT_MS, reconnectStrategy: reconnectDelay },
    });
    this.#subscriber = this.#commands.duplicate();
    for (const client of [this.#commands, this.#subscriber]) {
      client.on("error", (error: unknown) => {
        if (this.#untrustedCertificate === "no" && isUntrustedCertificate(error)) {
          this.#untrustedCertificate = "seen";
          this.#sayUntrustedCertificate();
        }
        return this.#linkChanged();
      });
      client.on("end", () => this.#linkChanged());
      client.on("ready", () => this.#linkChanged());
    }
  }

  /**
   * Connects to Redis (waiting a few seconds at most; without Redis the room
   * starts local and the bus keeps trying) and subscribes to the room. Logs
   * nothing until {@linkcode RedisBus.startLogging}.
   *
   * @param options See {@linkcode RedisBusOptions}.
   * @returns The bus.
   */
  static async open(options: RedisBusOptions): Promise<RedisBus> {
    const { createClient } = await import(REDIS_CLIENT_MODULE) as {
      createClient: typeof CreateClient;
    };
    const bus = new RedisBus(options, createClient);
    await bus.#connect();
    return bus;
  }

  /**
   * Logs where the link stands (linked; or, when Redis has not answered yet,
   * that the bus keeps trying to reach it) and, from then on, each time it
   * goes down or comes up. Called once the server's ready lines are out.
   */
  startLogging(): void {
    if (this.#started) return;
    this.#started = true;
    const { log, texts } = this.#options;
    // Never "lost" here: a link that never came up was not lost.
    if (this.#linked) log.info(texts.redisLinked(this.where));
    else log.error(texts.redisTrying(this.where));
    this.#sayUntrustedCertificate();
  }

  /** Says, once logging has started and only once, that Redis's certificate is not trusted. */
  #sayUntrustedCertificate(): void {
    if (!this.#started || this.#untrustedCertificate !== "seen") return;
    this.#untrustedCertificate = "said";
    this.#options.log.error(this.#options.texts.redisUntrustedCertificate(this.where));
  }

  /** Whether the link to the other servers is up now. */
  get linked(): boolean {
    return this.#linked;
  }

  /** Where the bus is, for the log: the URL without its password. */
  get where(): string {
    return describeUrl(this.#options.url);
  }

  listen(listener: BusListener): void {
    this.#listener = listener;
    // Linked before the room was made (at start): the room gets the bans read then.
    const loaded = this.#linkBans;
    this.#linkBans = null;
    if (!this.#linked) return;
    this.publish({ kind: "hello" });
    if (loaded === null) return;
    const elapsed = Date.now() - loaded.at;
    listener.bans(
      loaded.bans.map((ban) => ({ ...ban, ms: ban.ms - elapsed })).filter(({ ms }) => ms > 0),
    );
  }

  saveBan(ban: SharedBan, onlyIfNew: boolean): void {
    if (!this.#linked) return;
    this.#commands.eval(SAVE_BAN, {
      keys: [this.#key(`ban:${ban.address}`), this.#key("bans")],
      arguments: [ban.address, ban.nick, String(Math.round(ban.ms)), onlyIfNew ? "NX" : ""],
    }).catch(() => {});
  }

  dropBan(address: string): void {
    if (!this.#linked) return;
    this.#commands.multi().del(this.#key(`ban:${address}`)).sRem(this.#key("bans"), address)
      .exec().catch(() => {});
  }

  async claimGuestName(): Promise<GuestClaim | null> {
    if (!this.#linked) return null;
    const claim = this.#commands.eval(CLAIM_GUEST, {
      keys: [this.#key("names")],
      arguments: [this.serverId, "guest", String(Date.now())],
    });
    const guestName = (reply: unknown) =>
      Array.isArray(reply) && Number.isInteger(reply[0]) ? `guest${reply[0]}` : null;
    const reply = await this.#inTime(claim, guestName);
    const name = guestName(reply);
    if (!Array.isArray(reply) || name === null) return null;
    const holders: GuestClaim["holders"] = [];
    for (const value of reply.slice(1)) {
      const holder = typeof value === "string" ? parseHolder(value) : null;
      if (holder !== null && holder.server !== this.serverId) holders.push(holder);
    }
    return { name, holders };
  }

  async claimName(name: string, since: number): Promise<boolean | null> {
    if (!this.#linked) return null;
    const claim = this.#commands.eval(CLAIM, {
      keys: [this.#key("names")],
      arguments: [nickKey(name), this.serverId, name, String(Math.round(since))],
    });
    const claimed = await this.#inTime(claim, (reply) => reply === 1 ? name : null);
    return claimed === null ? null : claimed === 1;
  }

  /**
   * A claim's answer if Redis gives it within {@linkcode CLAIM_MS}, else null;
   * a later answer that gave a name (`named()`) is handed to the room, which
   * gives the name back unless it holds it.
   */
  async #inTime<T>(claim: Promise<T>, named: (reply: T) => string | null): Promise<T | null> {
    let waiting = true;
    claim.then((reply) => {
      const name = waiting ? null : named(reply);
      if (name !== null && !this.#closing) this.#listener?.claimedLate(name);
    }, () => {});
    try {
      return await resultWithin(claim, CLAIM_MS);
    } finally {
      waiting = false;
    }
  }

  async reclaimNames(names: readonly HeldName[]): Promise<void> {
    if (!this.#linked) return;
    const args = [this.serverId];
    for (const { nick, since } of names) args.push(nickKey(nick), nick, String(Math.round(since)));
    await this.#commands.eval(RECLAIM, { keys: [this.#key("names")], arguments: args });
  }

  releaseName(name: string): void {
    if (!this.#linked) return;
    this.#commands.eval(RELEASE, {
      keys: [this.#key("names")],
      arguments: [nickKey(name), this.serverId],
    }).catch(() => {});
  }

  publish(message: BusMessage): void {
    if (!this.#linked) return; // dropped, never queued: see the module's comment
    // What this turn publishes goes as one message, once the turn is done (as the outboxes do).
    if (this.#outgoing.push(message) === 1) queueMicrotask(this.#flush);
  }

  /** Publishes this turn's messages: one alone, several as a batch. */
  readonly #flush = (): void => {
    const messages = this.#outgoing;
    this.#outgoing = [];
    if (!this.#linked || messages.length === 0) return;
    const packet: BusPacket = messages.length === 1 ? messages[0]! : { kind: "batch", messages };
    this.#commands.publish(this.#key("events"), encodeBusMessage(this.serverId, packet))
      .catch(() => {});
  };

  remember(line: string, id?: string): void {
    const { historySize } = this.#options;
    if (!this.#linked || historySize === 0) return;
    this.#commands.xAdd(this.#key("history"), "*", id === undefined ? { line } : { line, id }, {
      TRIM: { strategy: "MAXLEN", threshold: historySize },
    }).catch(() => {});
  }

  async history(): Promise<{ line: string; id?: string }[]> {
    const { historySize, maxLineBytes } = this.#options;
    if (!this.#linked || historySize === 0) return [];
    const entries = await this.#commands.xRevRange(this.#key("history"), "+", "-", {
      COUNT: historySize,
    });
    const lines: { line: string; id?: string }[] = [];
    for (const entry of (entries ?? []).reverse()) {
      const { line, id } = entry.message;
      // Checked as a client's line would be (the prefix adds a little to the limit).
      if (typeof line === "string" && !line.includes("\n") && line.length <= maxLineBytes + 64) {
        lines.push(typeof id === "string" && LINE_ID.test(id) ? { line, id } : { line });
      }
    }
    return lines;
  }

  keepResume(hash: string, name: string): void {
    if (!this.#linked) return;
    const value = `${this.serverId}\t${nickKey(name)}\t${name}`;
    this.#commands.set(this.#key(`resume:${hash}`), value, { PX: RESUME_TTL_MS }).catch(() => {});
  }

  dropResume(hash: string): void {
    if (!this.#linked) return;
    this.#commands.eval(DROP_RESUME, {
      keys: [this.#key(`resume:${hash}`)],
      arguments: [this.serverId],
    }).catch(() => {});
  }

  async takeOver(
    hash: string,
  ): Promise<{ name: string; moved: boolean; since?: number } | null> {
    if (!this.#linked) return null;
    const reply = await resultWithin(
      this.#commands.eval(TAKE_OVER, {
        keys: [this.#key("names"), this.#key(`resume:${hash}`)],
        arguments: [this.serverId, String(RESUME_TTL_MS), String(Date.now())],
      }),
      CLAIM_MS,
    );
    if (!Array.isArray(reply)) return null;
    const [name, moved, since] = reply;
    if (typeof name !== "string" || !isValidNick(name)) return null;
    const time = Number(since);
    return { name, moved: moved === 1, ...(Number.isSafeInteger(time) ? { since: time } : {}) };
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    if (this.#linked) {
      // Our names and our server key go now, not when the key expires.
      await this.#commands.eval(REAP_OWN, {
        keys: [this.#key("names"), this.#key("servers")],
        arguments: [this.serverId, this.#key("server:")],
      }).catch(() => {});
    }
    this.#linked = false;
    await Promise.allSettled([this.#commands.close(), this.#subscriber.close()]);
  }

  async #connect(): Promise<void> {
    const ready = Promise.allSettled([
      this.#commands.connect(),
      this.#subscriber.connect().then(() =>
        this.#subscriber.subscribe(this.#key("events"), (message) => this.#received(message))
      ),
    ]);
    await waitAtMost(ready, FIRST_CONNECT_MS);
    // node-redis keeps reconnecting by itself; when it is ready the link comes up then.
    await this.#linkChanged();
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS);
  }

  /**
   * Follows the clients' state: tells the room when the link goes down or
   * comes back. While a registration runs, callers get that one (both
   * clients report "ready": one registration, one notice).
   */
  #linkChanged(): Promise<void> {
    if (this.#closing) return Promise.resolve();
    if (this.#registration !== null) return this.#registration;
    const up = this.#commands.isReady && this.#subscriber.isReady;
    if (up === this.#linked) return Promise.resolve();
    if (!up) {
      this.#linked = false;
      if (this.#started) this.#options.log.error(this.#options.texts.redisLinkLost(this.where));
      this.#listener?.linkLost();
      return Promise.resolve();
    }
    this.#registration = this.#register().then(() => this.#loadBans()).then(
      (bans) => {
        this.#registration = null;
        if (this.#linked || this.#closing) return;
        if (!(this.#commands.isReady && this.#subscriber.isReady)) return;
        this.#linked = true;
        if (this.#started) this.#options.log.info(this.#options.texts.redisLinked(this.where));
        // The answers to a hello are the room's: without a room yet, listen() says it.
        if (this.#listener !== null) this.publish({ kind: "hello" });
        if (this.#listener === null) this.#linkBans = { bans, at: Date.now() };
        this.#listener?.bans(bans);
        this.#listener?.linkRestored();
      },
      () => {
        this.#registration = null; // down again already; the next "ready" tries again
      },
    );
    return this.#registration;
  }

  /** This server's key and its place in the set of servers. */
  async #register(): Promise<void> {
    await this.#commands.set(this.#key(`server:${this.serverId}`), "1", { PX: SERVER_TTL_MS });
    await this.#commands.sAdd(this.#key("servers"), this.serverId);
  }

  /** The running bans, checked as if a client had sent them. */
  async #loadBans(): Promise<SharedBan[]> {
    const reply = await this.#commands.eval(LOAD_BANS, {
      keys: [this.#key("bans")],
      arguments: [this.#key("ban:"), String(MAX_BANS)],
    });
    const bans: SharedBan[] = [];
    if (!Array.isArray(reply)) return bans;
    for (let i = 0; i + 2 < reply.length; i += 3) {
      const [address, nick, ms] = [reply[i], reply[i + 1], reply[i + 2]];
      if (typeof address !== "string" || banAddress(address) !== address) continue;
      if (typeof nick !== "string" || !isValidNick(nick) || typeof ms !== "number") continue;
      if (ms > 0) bans.push({ address, nick, ms });
    }
    return bans;
  }

  /** Refreshes this server's key, and reaps servers whose key is gone. */
  async #beat(): Promise<void> {
    if (!this.#linked) return;
    try {
      await this.#register();
      const servers = await this.#commands.sMembers(this.#key("servers"));
      for (const server of servers) {
        if (server === this.serverId) continue;
        if (await this.#commands.exists(this.#key(`server:${server}`)) === 1) continue;
        const gone = await this.#commands.eval(REAP, {
          keys: [this.#key("names"), this.#key("servers")],
          arguments: [server, this.#key("server:")],
        });
        if (!Array.isArray(gone)) continue;
        for (const nick of gone) {
          if (typeof nick !== "string") continue;
          const message: BusMessage = {
            kind: "event",
            event: { kind: "left", nick, reason: "server lost", detail: null },
          };
          this.#listener?.remote(message, server);
          this.publish(message);
        }
      }
    } catch {
      // Redis went away mid-beat: the link's own events tell the room.
    }
  }

  #received(text: string): void {
    // Our own messages come back too: delivered here already, and dropped without parsing.
    if (text.startsWith(this.#ownStart)) return;
    if (text.length > MAX_MESSAGE_BYTES) return this.#ignored();
    const parsed = parseBusMessage(text, this.#options.maxLineBytes);
    if (parsed === null) return this.#ignored();
    if (parsed.server === this.serverId) return;
    const { message, server } = parsed;
    if (message.kind !== "batch") return this.#listener?.remote(message, server);
    for (const one of message.messages) this.#listener?.remote(one, server);
  }

  /** Something on the channel that is not ours: said in the log now and then, otherwise dropped. */
  #ignored(): void {
    const now = performance.now();
    if (now - this.#lastIgnoredLog < IGNORED_LOG_MS) return;
    this.#lastIgnoredLog = now;
    this.#options.log.error(this.#options.texts.redisIgnoredMessage);
  }

  #key(name: string): string {
    return this.#prefix + name;
  }
}

/** Frees this server's names and entry when it stops. KEYS: names, servers. ARGV: id, key prefix. */
const REAP_OWN = `
redis.call('DEL', ARGV[2] .. ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i + 1], 1, #ARGV[1] + 1) == ARGV[1] .. '\\t' then
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return 0`;

/** A value of the `names` hash (`SERVER\tName\tSINCE`): who holds the name; null if it is not one. */
function parseHolder(value: string): GuestClaim["holders"][number] | null {
  const [server, nick, since] = value.split("\t");
  if (!server || nick === undefined || !isValidNick(nick)) return null;
  const time = Number(since);
  return { server, nick, since: Number.isSafeInteger(time) ? time : Date.now() };
}

/** Backoff with jitter: 100 ms doubling up to 5 s, each ±25%, so servers do not come back in step. */
function reconnectDelay(retries: number): number {
  const base = Math.min(100 * 2 ** retries, 5000);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * A Redis URL as the log may show it: no user or password.
 *
 * @param url The URL as given.
 * @returns `redis://host:port/db`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeUrl } from "./redis_bus.ts";
 * assert.equal(describeUrl("redis://user:secret@10.0.0.5:6379/2"), "redis://10.0.0.5:6379/2");
 * ```
 */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(an invalid URL)";
  }
}

/**
 * Whether a connection error is a TLS certificate the runtime does not
 * trust: rustls (Deno's TLS, under node:tls) says `UnknownIssuer`; Node's
 * own words are kept for the day the error comes from elsewhere.
 */
function isUntrustedCertificate(error: unknown): boolean {
  const text = error instanceof Error
    ? `${error.message} ${String((error as { code?: unknown }).code)}`
    : "";
  return /UnknownIssuer|SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to get local issuer/i
    .test(text);
}
