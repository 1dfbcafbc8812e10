/**
 * The chat room's lines, in English and in Chinese: the welcome, the notices,
 * the answers to commands, /help, and the log lines of the room and of its
 * link to other servers. The room puts "*** " before every line it writes.
 *
 * The catalogue is a `Record<Lang, ChatTexts>`, so a text missing in one
 * language is a type error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CHAT_TEXTS } from "./chat_texts.ts";
 * assert(CHAT_TEXTS.en.chatJoined("ann") === "ann joined");
 * assert(CHAT_TEXTS.zh.chatLeaveReason("idle") === "空闲超时");
 * ```
 *
 * @module
 */

import type { Lang } from "../settings/lang.ts";
import { plural } from "../text/texts.ts";
import type { ChatCommandWithArgs } from "./chat_commands.ts";
import type { NamedLeaveReason } from "./chat_events.ts";
import type { ScriptLabel } from "../text/script_mix.ts";

/** Every text of the chat room. Functions take the values they quote. */
export interface ChatTexts {
  /** Chat: the notice every member gets when the server stops (after "*** "). */
  chatShuttingDown: string;
  /** Chat with `--redis`: the link to the other servers is down. */
  chatLinkLost: string;
  /** Chat with `--redis`: the link is back. */
  chatLinkRestored: string;
  /**
   * Chat (`--redis`): to a member whose name a member of another server held
   * first (both took it while the link was down); it is `fresh` now.
   */
  chatNameLost(nick: string, fresh: string): string;
  /** Log: the link to Redis is up (at start, or again). */
  redisLinked(where: string): string;
  /** Log at start: Redis has not answered yet; the room is local until it does. */
  redisTrying(where: string): string;
  /** Log: the link to Redis is down; the room is local until it is back. */
  redisLinkLost(where: string): string;
  /**
   * Log: Redis answers over TLS with a certificate this machine does not
   * trust (a private CA), and what to do; said once.
   */
  redisUntrustedCertificate(where: string): string;
  /** Log: a message on the room's channel was not ours, or broke a rule, and was dropped. */
  redisIgnoredMessage: string;
  /** Chat: log line for a client dropped because its backlog passed `--max-backlog`. */
  chatTooSlowLog(maxBacklogBytes: number): string;
  /** Chat: to a member whose lines just started waiting for `--rate` (once per episode). */
  chatSlowDown(linesPerSecond: number): string;
  /**
   * Chat: the body of the HTTP answer (one line) to a browser or curl on the chat port;
   * `pageUrl` is the page's address with `--web`, else null.
   */
  chatHttpAnswer(pageUrl: string | null): string;
  /** Log: an HTTP request came to the chat port and was answered (it never entered the room). */
  chatHttpRequestLog(method: string): string;
  /** Chat, log: a TLS client (https://, `openssl s_client`) came to the plaintext chat port and was closed. */
  chatTlsHelloLog: string;
  /** Chat with `--key-file`: the first line a client gets; its first line is to be the key. */
  chatKeyNeeded: string;
  /** Chat with `--key-file`: the one line after a wrong key, before the close. */
  chatWrongRoomKey: string;
  /** Chat with `--key-file`: the line to a client that gave no key in `seconds`, before the close. */
  chatNoRoomKey(seconds: number): string;
  /** Log, the reason of `refusedLog` (`refused ADDRESS:PORT: wrong key`). */
  chatWrongRoomKeyReason: string;
  /** Log, the reason of `refusedLog` for a client that gave no key in `seconds`. */
  chatNoRoomKeyReason(seconds: number): string;
  /** Chat with `--key-file`: /help's line on the key, after the commands. */
  chatHelpRoomKey: string;
  /**
   * Chat: the line a member gets on joining: its name, who else is here (in
   * the order they came), and that `/help` lists the commands.
   */
  chatWelcome(nick: string, others: readonly string[], notNamed: number): string;
  /** Chat: after the welcome, before the history: how many earlier lines follow. */
  chatEarlierLines(count: number): string;
  /**
   * Chat: a page that reconnected is back under its name (nobody else is
   * told); `missed` lines said meanwhile follow.
   */
  chatWelcomeBack(nick: string, missed: number): string;
  /** Chat log: a page came back under its name (a new connection took the old one's place). */
  chatResumedLog(nick: string): string;
  /** Chat: someone joined (to the others, and the log). */
  chatJoined(nick: string): string;
  /** Chat: the last line a member gets after its /quit, before the server closes. */
  chatBye: string;
  /** Chat: someone left; `reason` is a {@linkcode ChatTexts.chatLeaveReason} or their /quit text. */
  chatLeft(nick: string, reason: string | null): string;
  /** Chat: why someone left, as `chatLeft` and the log show it. */
  chatLeaveReason(reason: NamedLeaveReason): string;
  /** Chat: the reason in the log for a /quit with a reason of the member's own. */
  chatQuitLogReason(detail: string): string;
  /** Log: a member sent a private message (/msg); its text is not logged. */
  chatPrivateLog(from: string, to: string): string;
  /** Chat: someone took another name (to everyone, and the log). */
  chatRenamed(from: string, to: string): string;
  /** Chat: /nick with a name that breaks the rules; `maxLength` is the most characters. */
  chatInvalidNick(name: string, maxLength: number): string;
  /** Chat: /nick with a name that mixes scripts (`wаtcher` with a Cyrillic `а`), and which. */
  chatMixedScripts(name: string, scripts: readonly ScriptLabel[]): string;
  /** Chat: /nick with a name someone else holds (in any case). */
  chatNickTaken(name: string): string;
  /** Chat: /nick with the name the member already has. */
  chatNickUnchanged(name: string): string;
  /** Chat: /msg to a name nobody here holds. */
  chatNoSuchNick(name: string): string;
  /** Chat: /who, every name in the order they came. */
  chatWho(nicks: readonly string[]): string;
  /** Chat: a command without its argument: its usage. */
  chatUsage(command: ChatCommandWithArgs): string;
  /** Chat: a line starting with "/" that is no command; `command` is the word after "/". */
  chatUnknownCommand(command: string): string;
  /**
   * Chat: /help, one command a line (the room puts "*** " before each); its
   * /me example shows the member's own name.
   */
  chatHelp(nick: string): string;
  /** Chat: `/op` with the key. */
  chatOperatorNow: string;
  /** Chat: `/op` from an operator. */
  chatAlreadyOperator: string;
  /** Chat: `/op` with a wrong key; `triesLeft` more before the connection is closed. */
  chatWrongKey(triesLeft: number): string;
  /** Chat: the last wrong `/op` key, before the server closes the connection. */
  chatWrongKeyLast(tries: number): string;
  /** Log: a member typed a wrong operator key, the `tries`-th of `max`. */
  chatWrongKeyLog(tries: number, max: number): string;
  /** Log: a member became an operator. */
  chatOperatorLog(nick: string): string;
  /** Chat: a command only operators may use, from someone else; `command` is "/kick" etc. */
  chatOperatorsOnly(command: string): string;
  /** Chat: an operator's command naming a member of another server while the link to it is down (`--redis`). */
  chatOnOtherServer(nick: string): string;
  /** Chat: to the member an operator removed (`/kick`), its last line; `reason` as typed or null. */
  chatRemovedYou(by: string, reason: string | null): string;
  /** Chat: to everyone else, and the log: an operator removed a member. */
  chatRemoved(nick: string, by: string, reason: string | null): string;
  /** Chat: to everyone, once: an operator muted a member for `minutes`. */
  chatMuted(nick: string, by: string, minutes: number): string;
  /** Chat: to everyone: an operator ended a member's mute. */
  chatUnmuted(nick: string, by: string): string;
  /** Chat: `/unmute` of a member that is not muted. */
  chatNotMuted(nick: string): string;
  /** Chat: to a muted member that sent a line (not more than every few seconds). */
  chatYouAreMuted(minutesLeft: number): string;
  /** Chat: the reason a banned member is shown (as a /kick's reason). */
  chatBanReason(minutes: number): string;
  /** Chat: `/ban` of a member at the operator's own address. */
  chatBanOwnAddress(nick: string): string;
  /** Chat: the one line a client from a banned address gets before it is closed. */
  chatBannedRefused(minutesLeft: number): string;
  /** Log: a client was refused for a ban; `nick` is who the ban was made for. */
  chatBanRefusedLog(address: string, nick: string): string;
  /** Chat: `/unban` of a banned address (to the operator, and the log). */
  chatUnbanned(address: string, by: string): string;
  /** Chat: `/unban` of an address no ban refuses. */
  chatNotBanned(address: string): string;
  /** Chat: `/bans`: each ban's address, whom it was made for and the minutes left. */
  chatBans(bans: readonly { address: string; nick: string; minutesLeft: number }[]): string;
  /** Chat: /help's lines for operators, after the others. */
  chatOperatorHelp: string;
  /** Server's stdout at start, chat mode: the key that makes a member an operator (`/op KEY`). */
  operatorKey(key: string): string;
}

/** Chat /help in English, for `nick`; the room puts "*** " before each line. */
function chatHelpEn(nick: string): string {
  return `Commands:
/nick NAME      take another name
/who            list who is here
/msg NAME TEXT  send TEXT to NAME only
/me TEXT        tell the others what you do ("/me waves" shows "* ${nick} waves")
/quit [REASON]  leave the chat
/help           show this list
A line starting with // sends text starting with /`;
}

/** Chat /help in Chinese, for `nick`: the commands stay the same words. */
function chatHelpZh(nick: string): string {
  return `命令：
/nick 名字        换一个名字
/who              查看谁在聊天室
/msg 名字 文字    只把文字发给这个人
/me 文字          告诉其他人你在做什么（“/me 挥手”显示为“* ${nick} 挥手”）
/quit [原因]      离开聊天室
/help             显示本列表
以 // 开头的行会作为以 / 开头的文字发出`;
}

/** A chat command's arguments, for its usage line. */
const CHAT_USAGE_EN: Record<ChatCommandWithArgs, string> = {
  nick: "/nick NAME",
  msg: "/msg NAME TEXT",
  me: "/me TEXT",
  op: "/op KEY",
  kick: "/kick NAME [REASON]",
  mute: "/mute NAME [MINUTES] (1 to 10080)",
  unmute: "/unmute NAME",
  ban: "/ban NAME [MINUTES] (1 to 10080)",
  unban: "/unban ADDRESS",
};
const CHAT_USAGE_ZH: Record<ChatCommandWithArgs, string> = {
  nick: "/nick 名字",
  msg: "/msg 名字 文字",
  me: "/me 文字",
  op: "/op 密钥",
  kick: "/kick 名字 [原因]",
  mute: "/mute 名字 [分钟]（1 到 10080）",
  unmute: "/unmute 名字",
  ban: "/ban 名字 [分钟]（1 到 10080）",
  unban: "/unban 地址",
};

/** Why someone left the chat: English says the reason as the code names it. */
const LEAVE_REASONS_EN: Record<NamedLeaveReason, string> = {
  quit: "quit",
  "connection lost": "connection lost",
  idle: "idle",
  "too slow": "too slow",
  "line too long": "line too long",
  flooding: "flooding",
  "server lost": "server lost",
  "wrong key": "wrong operator key",
  removed: "removed by an operator",
};
const LEAVE_REASONS_ZH: Record<NamedLeaveReason, string> = {
  quit: "退出",
  "connection lost": "连接中断",
  idle: "空闲超时",
  "too slow": "接收太慢",
  "line too long": "信息太长",
  flooding: "刷屏",
  "server lost": "服务器失联",
  "wrong key": "管理员密钥错误",
  removed: "被管理员移出",
};

/** Scripts as a name's refusal names them: Unicode's names in English. */
const SCRIPT_NAMES_EN: Record<ScriptLabel, string> = {
  Latin: "Latin",
  Cyrillic: "Cyrillic",
  Greek: "Greek",
  Han: "Han",
  Hiragana: "Hiragana",
  Katakana: "Katakana",
  Hangul: "Hangul",
  Bopomofo: "Bopomofo",
  Arabic: "Arabic",
  Hebrew: "Hebrew",
  Armenian: "Armenian",
  Georgian: "Georgian",
  Devanagari: "Devanagari",
  Bengali: "Bengali",
  Gurmukhi: "Gurmukhi",
  Gujarati: "Gujarati",
  Oriya: "Oriya",
  Tamil: "Tamil",
  Telugu: "Telugu",
  Kannada: "Kannada",
  Malayalam: "Malayalam",
  Sinhala: "Sinhala",
  Thai: "Thai",
  Lao: "Lao",
  Tibetan: "Tibetan",
  Myanmar: "Myanmar",
  Khmer: "Khmer",
  Ethiopic: "Ethiopic",
  Thaana: "Thaana",
  other: "another script",
};
const SCRIPT_NAMES_ZH: Record<ScriptLabel, string> = {
  Latin: "拉丁字母",
  Cyrillic: "西里尔字母",
  Greek: "希腊字母",
  Han: "汉字",
  Hiragana: "平假名",
  Katakana: "片假名",
  Hangul: "谚文",
  Bopomofo: "注音符号",
  Arabic: "阿拉伯字母",
  Hebrew: "希伯来字母",
  Armenian: "亚美尼亚字母",
  Georgian: "格鲁吉亚字母",
  Devanagari: "天城文",
  Bengali: "孟加拉文",
  Gurmukhi: "古木基文",
  Gujarati: "古吉拉特文",
  Oriya: "奥里亚文",
  Tamil: "泰米尔文",
  Telugu: "泰卢固文",
  Kannada: "卡纳达文",
  Malayalam: "马拉雅拉姆文",
  Sinhala: "僧伽罗文",
  Thai: "泰文",
  Lao: "老挝文",
  Tibetan: "藏文",
  Myanmar: "缅甸文",
  Khmer: "高棉文",
  Ethiopic: "埃塞俄比亚文",
  Thaana: "它拿文",
  other: "其他文字",
};

/** "a", "a and b", "a, b and c", with the language's comma and "and". */
function listOf(items: readonly string[], comma: string, and: string): string {
  return items.length < 2 ? items.join("") : items.slice(0, -1).join(comma) + and + items.at(-1);
}

/** The chat room's texts: one complete set per language. */
export const CHAT_TEXTS: Record<Lang, ChatTexts> = {
  en: {
    chatShuttingDown: "server shutting down",
    chatLinkLost: "link to other servers lost; only people on this server hear you now",
    chatLinkRestored: "link restored",
    chatNameLost: (nick, fresh) =>
      `Someone on another server had the name ${nick} before you took it while the link was down: you are ${fresh} now`,
    redisLinked: (where) => `linked to the other servers of the room through ${where}`,
    redisTrying: (where) =>
      `trying to reach ${where}; until it answers, the room has only this server's clients`,
    redisLinkLost: (where) =>
      `lost the link to ${where}; the room goes on with this server's clients, trying again`,
    redisUntrustedCertificate: (where) =>
      `${where} has a TLS certificate this machine does not trust (a private CA?): ` +
      `run the server with "deno run --cert CA.pem ..." or DENO_CERT=CA.pem`,
    redisIgnoredMessage:
      "ignored a message on the room's channel that is not ours or breaks a rule",
    chatTooSlowLog: (bytes) =>
      `dropped: more than ${bytes} bytes waiting to be sent (--max-backlog), the client is not reading`,
    chatSlowDown: (perSecond) =>
      `Slow down: you may send ${plural(perSecond, "line", "lines")} a second; ` +
      "the rest wait their turn",
    chatHttpAnswer: (pageUrl) =>
      "This is a chat port for nc, telnet or client.ts, not a web server" +
      (pageUrl === null ? ": nc HOST PORT" : `. The chat's web page is at ${pageUrl}`),
    chatHttpRequestLog: (method) =>
      `an HTTP request (${method}) came to the chat port: answered over HTTP and closed`,
    chatTlsHelloLog: "a TLS handshake came to the plaintext chat port (https:// or --tls?): closed",
    chatKeyNeeded: "This room needs a key: type it and press Enter",
    chatWrongRoomKey: "Wrong key: disconnecting",
    chatNoRoomKey: (seconds) => `No key within ${seconds} s: disconnecting`,
    chatWrongRoomKeyReason: "wrong key",
    chatNoRoomKeyReason: (seconds) => `no key within ${seconds} s`,
    chatHelpRoomKey:
      "This room has a key: whoever joins types it first. Give it only to the people it is for",
    chatWelcome: (nick, others, notNamed) =>
      `Welcome to the chat, you are ${nick}. ` +
      (others.length === 0 ? "Nobody else is here yet." : `Also here: ${others.join(", ")}` +
        (notNamed === 0 ? "." : ` and ${notNamed} more (/who names everyone).`)) +
      " /help lists the commands",
    chatEarlierLines: (count) => `Earlier in the room, the last ${plural(count, "line", "lines")}:`,
    chatWelcomeBack: (nick, missed) =>
      `Welcome back, you are still ${nick}` +
      (missed === 0 ? "" : `; said while you were away, ${plural(missed, "line", "lines")}:`),
    chatResumedLog: (nick) => `${nick} came back (a page that reconnected)`,
    chatJoined: (nick) => `${nick} joined`,
    chatBye: "Bye, you left the chat",
    chatLeft: (nick, reason) => `${nick} left` + (reason === null ? "" : ` (${reason})`),
    chatLeaveReason: (reason) => LEAVE_REASONS_EN[reason],
    chatQuitLogReason: (detail) => `quit: ${detail}`,
    chatPrivateLog: (from, to) => `private message from ${from} to ${to} (its text is not logged)`,
    chatRenamed: (from, to) => `${from} is now ${to}`,
    chatInvalidNick: (name, maxLength) =>
      `Invalid name "${name}": use 1 to ${maxLength} letters, digits, "_" or "-"`,
    chatMixedScripts: (name, scripts) =>
      `Invalid name "${name}": it mixes scripts (` +
      listOf(scripts.map((script) => SCRIPT_NAMES_EN[script]), ", ", " and ") + "); use one",
    chatNickTaken: (name) => `The name "${name}" is taken`,
    chatNickUnchanged: (name) => `You are already ${name}`,
    chatNoSuchNick: (name) => `Nobody here is called "${name}"`,
    chatWho: (nicks) => `${plural(nicks.length, "person", "people")} here: ${nicks.join(", ")}`,
    chatUsage: (command) => `Usage: ${CHAT_USAGE_EN[command]}`,
    chatUnknownCommand: (command) => `Unknown command "/${command}": /help lists the commands`,
    chatHelp: chatHelpEn,
    operatorKey: (key) => `Operator key: ${key}`,
    chatOperatorNow: "You are an operator now",
    chatAlreadyOperator: "You are an operator already",
    chatWrongKey: (left) =>
      `Wrong operator key: ${plural(left, "more try", "more tries")} before you are disconnected`,
    chatWrongKeyLast: (tries) => `Wrong operator key ${tries} times: disconnected`,
    chatWrongKeyLog: (tries, max) => `wrong operator key (/op), try ${tries} of ${max}`,
    chatOperatorLog: (nick) => `${nick} is an operator now (/op)`,
    chatOperatorsOnly: (command) => `Only operators can use ${command}`,
    chatOnOtherServer: (nick) =>
      `${nick} is on another server, and the link to it is down: try again once it is restored`,
    chatRemovedYou: (by, reason) =>
      `You were removed by ${by}` + (reason === null ? "" : ` (${reason})`),
    chatRemoved: (nick, by, reason) =>
      `${nick} was removed by ${by}` + (reason === null ? "" : ` (${reason})`),
    chatMuted: (nick, by, minutes) =>
      `${nick} was muted by ${by} for ${plural(minutes, "minute", "minutes")}`,
    chatUnmuted: (nick, by) => `${nick} may speak again (unmuted by ${by})`,
    chatNotMuted: (nick) => `${nick} is not muted`,
    chatYouAreMuted: (left) =>
      `You are muted: nobody sees your lines, /me or /msg for ${
        plural(left, "more minute", "more minutes")
      }`,
    chatBanReason: (minutes) => `banned for ${plural(minutes, "minute", "minutes")}`,
    chatBanOwnAddress: (nick) =>
      `${nick} connects from your own address: a ban would lock you out too`,
    chatBannedRefused: (left) =>
      `You are banned from this chat for ${plural(left, "more minute", "more minutes")}`,
    chatBanRefusedLog: (address, nick) => `refused: ${address} is banned (ban on ${nick})`,
    chatUnbanned: (address, by) => `${address} is no longer banned (unbanned by ${by})`,
    chatNotBanned: (address) => `No ban refuses ${address}`,
    chatBans: (bans) =>
      bans.length === 0
        ? "No bans"
        : "Bans: " + bans.map((ban) =>
          `${ban.address} (${ban.nick}, ${plural(ban.minutesLeft, "minute", "minutes")} left)`
        ).join("; "),
    chatOperatorHelp: `Operator commands:
/kick NAME [REASON]   remove NAME from the chat
/mute NAME [MINUTES]  NAME's lines reach nobody for MINUTES (default 10)
/unmute NAME          NAME may speak again
/ban NAME [MINUTES]   remove NAME and refuse its address for MINUTES (default 60)
/unban ADDRESS        end a ban
/bans                 list the bans, with the time left`,
  },
  zh: {
    chatShuttingDown: "服务端正在关闭",
    chatLinkLost: "与其他服务器的连接已断开；现在只有本服务器上的人能收到你的消息",
    chatLinkRestored: "与其他服务器的连接已恢复",
    chatNameLost: (nick, fresh) =>
      `连接中断时你改用的名字“${nick}”，另一台服务器上有人更早就在用：你现在是 ${fresh}`,
    redisLinked: (where) => `已通过 ${where} 与聊天室的其他服务器连接`,
    redisTrying: (where) => `正在尝试连接 ${where}；连上之前，聊天室只有本服务器的客户端`,
    redisLinkLost: (where) => `与 ${where} 的连接已断开；聊天室继续服务本服务器的客户端，正在重试`,
    redisUntrustedCertificate: (where) =>
      `${where} 的 TLS 证书不受本机信任（私有 CA？）：` +
      `请用“deno run --cert CA.pem ...”或 DENO_CERT=CA.pem 运行服务端`,
    redisIgnoredMessage: "忽略了聊天室频道上一条不属于本程序或不合规则的消息",
    chatTooSlowLog: (bytes) =>
      `已断开：待发送数据超过 ${bytes} 字节（--max-backlog），客户端没有读取`,
    chatSlowDown: (perSecond) => `请慢一点：每秒最多发送 ${perSecond} 行，其余的行排队依次发出`,
    chatHttpAnswer: (pageUrl) =>
      "这是聊天端口，请用 nc、telnet 或 client.ts 连接，它不是网页服务器" +
      (pageUrl === null ? "：nc 主机 端口" : `。聊天网页在 ${pageUrl}`),
    chatHttpRequestLog: (method) => `聊天端口收到一个 HTTP 请求（${method}）：已用 HTTP 回答并关闭`,
    chatTlsHelloLog: "明文聊天端口收到一个 TLS 握手（https:// 或 --tls？）：已关闭",
    chatKeyNeeded: "本聊天室需要密钥：请输入密钥并按回车",
    chatWrongRoomKey: "密钥错误：即将断开连接",
    chatNoRoomKey: (seconds) => `${seconds} 秒内未输入密钥：即将断开连接`,
    chatWrongRoomKeyReason: "密钥错误",
    chatNoRoomKeyReason: (seconds) => `${seconds} 秒内未给出密钥`,
    chatHelpRoomKey: "本聊天室设有密钥：加入时先输入密钥。只把它告诉该知道的人",
    chatWelcome: (nick, others, notNamed) =>
      `欢迎来到聊天室，你的名字是 ${nick}。` +
      (others.length === 0 ? "目前只有你一个人。" : `在线的还有：${others.join("、")}` +
        (notNamed === 0 ? "。" : `，另有 ${notNamed} 人（/who 列出所有人）。`)) +
      "输入 /help 查看命令",
    chatEarlierLines: (count) => `以下是你加入之前的最近 ${count} 条消息：`,
    chatWelcomeBack: (nick, missed) =>
      `欢迎回来，你仍然是“${nick}”` + (missed === 0 ? "" : `；你离开期间的 ${missed} 条消息：`),
    chatResumedLog: (nick) => `“${nick}”回来了（网页重新连接）`,
    chatJoined: (nick) => `${nick} 加入了聊天室`,
    chatBye: "再见，你已离开聊天室",
    chatLeft: (nick, reason) => `${nick} 离开了聊天室` + (reason === null ? "" : `（${reason}）`),
    chatLeaveReason: (reason) => LEAVE_REASONS_ZH[reason],
    chatQuitLogReason: (detail) => `退出：${detail}`,
    chatPrivateLog: (from, to) => `${from} 给 ${to} 发了一条私信（私信内容不记入日志）`,
    chatRenamed: (from, to) => `${from} 改名为 ${to}`,
    chatInvalidNick: (name, maxLength) =>
      `无效的名字“${name}”：名字应由 1 到 ${maxLength} 个字母、数字、“_”或“-”组成`,
    chatMixedScripts: (name, scripts) =>
      `无效的名字“${name}”：混用了多种文字（` +
      listOf(scripts.map((script) => SCRIPT_NAMES_ZH[script]), "、", "和") + "），请只用一种",
    chatNickTaken: (name) => `名字“${name}”已被占用`,
    chatNickUnchanged: (name) => `你的名字已经是 ${name}`,
    chatNoSuchNick: (name) => `这里没有名为“${name}”的人`,
    chatWho: (nicks) => `当前在线 ${nicks.length} 人：${nicks.join("、")}`,
    chatUsage: (command) => `用法：${CHAT_USAGE_ZH[command]}`,
    chatUnknownCommand: (command) => `未知命令“/${command}”：输入 /help 查看命令`,
    chatHelp: chatHelpZh,
    operatorKey: (key) => `管理员密钥：${key}`,
    chatOperatorNow: "你现在是管理员了",
    chatAlreadyOperator: "你已经是管理员了",
    chatWrongKey: (left) => `管理员密钥错误：再错 ${left} 次将断开连接`,
    chatWrongKeyLast: (tries) => `管理员密钥已错 ${tries} 次：连接已断开`,
    chatWrongKeyLog: (tries, max) => `管理员密钥错误（/op），第 ${tries} 次，共 ${max} 次机会`,
    chatOperatorLog: (nick) => `${nick} 成为管理员（/op）`,
    chatOperatorsOnly: (command) => `只有管理员才能使用 ${command}`,
    chatOnOtherServer: (nick) => `${nick} 在另一台服务器上，而与它的连接已断开：请在连接恢复后再试`,
    chatRemovedYou: (by, reason) =>
      `你被 ${by} 移出了聊天室` + (reason === null ? "" : `（${reason}）`),
    chatRemoved: (nick, by, reason) =>
      `${nick} 被 ${by} 移出了聊天室` + (reason === null ? "" : `（${reason}）`),
    chatMuted: (nick, by, minutes) => `${nick} 被 ${by} 禁言 ${minutes} 分钟`,
    chatUnmuted: (nick, by) => `${by} 解除了 ${nick} 的禁言`,
    chatNotMuted: (nick) => `${nick} 没有被禁言`,
    chatYouAreMuted: (left) =>
      `你已被禁言：接下来 ${left} 分钟内，你发的行、/me 和 /msg 都没有人能看到`,
    chatBanReason: (minutes) => `封禁 ${minutes} 分钟`,
    chatBanOwnAddress: (nick) => `${nick} 和你来自同一个地址：封禁它也会把你自己挡在外面`,
    chatBannedRefused: (left) => `你已被禁止进入本聊天室，还有 ${left} 分钟`,
    chatBanRefusedLog: (address, nick) => `已拒绝：${address} 被封禁（封禁对象 ${nick}）`,
    chatUnbanned: (address, by) => `${by} 解除了对 ${address} 的封禁`,
    chatNotBanned: (address) => `${address} 没有被封禁`,
    chatBans: (bans) =>
      bans.length === 0 ? "没有封禁" : "封禁：" +
        bans.map((ban) => `${ban.address}（${ban.nick}，还剩 ${ban.minutesLeft} 分钟）`).join("；"),
    chatOperatorHelp: `管理员命令：
/kick 名字 [原因]     把这个人移出聊天室
/mute 名字 [分钟]     禁言这个人若干分钟（默认 10）
/unmute 名字          解除禁言
/ban 名字 [分钟]      移出这个人，并在若干分钟内拒绝其地址（默认 60）
/unban 地址           解除封禁
/bans                 列出封禁及剩余时间`,
  },
};
