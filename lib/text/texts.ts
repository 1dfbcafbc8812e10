/**
 * Every text a user sees, in English and in Chinese. The Chinese texts keep the
 * tutorial's own wording where it has one ("服务端接收到的信息为：…").
 *
 * The catalogue is a `Record<Lang, Texts>`, so a text missing in one
 * language is a type error. Thrown errors meant for developers stay English.
 *
 * @module
 */

import {
  DEFAULT_HISTORY_SIZE,
  DEFAULT_MAX_BACKLOG_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_PORT,
  DEFAULT_RATE_LINES_PER_SECOND,
} from "../settings/defaults.ts";
import type { ChatCommandWithArgs } from "../chat/chat_commands.ts";
import type { LeaveReason } from "../chat/chat_room.ts";
import type { UsageProblem, UsageProblemTexts } from "../cli/usage_problem.ts";

/** A language of the user-facing texts. */
export type Lang = "en" | "zh";

/** The languages `--lang` accepts, in the order the help lists them. */
export const LANGS: readonly Lang[] = ["en", "zh"];

/** Every user-facing text. Functions take the values they quote. */
export interface Texts {
  /** Reply template of reply mode; `{msg}` stands for the message. */
  defaultReply: string;
  /** First stdout line of the server, printed once it listens. */
  ready(host: string, port: number): string;
  /** The second ready line of chat mode with `--web`: the page's address. */
  webReady(host: string, port: number): string;
  /** Log line: a browser that gave another site's Origin was refused. */
  webForeignOrigin(origin: string): string;
  /** A client connected; `count` is how many are connected now. */
  clientConnected(count: number): string;
  /** A client left; `count` is how many are still connected. */
  clientDisconnected(count: number): string;
  /** A message arrived (reply mode log). */
  messageReceived(text: string): string;
  /** How many messages were received but not shown in the last second (log under load). */
  messagesNotShown(count: number): string;
  /** A client reset the connection or a socket error ended it. */
  clientError(detail: string): string;
  /** A client reset the connection (it vanished mid-conversation). */
  clientReset: string;
  /** Log line when a client is turned away at the connection limit. */
  tooManyClientsLog(limit: number): string;
  /** Line sent to a client turned away at the connection limit (or out of file descriptors). */
  tooManyClients(limit: number): string;
  /**
   * Logged once when the process runs out of file descriptors with `clients`
   * connected; `turningAway` says whether new clients get the busy line (or wait).
   */
  outOfFileDescriptors(clients: number, turningAway: boolean): string;
  /** Logged when clients are accepted again after that; `turnedAway` counts those sent away. */
  fileDescriptorsAvailable(turnedAway: number): string;
  /** Line sent to a client whose message is over the limit, before closing. */
  lineTooLong(limit: number): string;
  /** Log line for the same. */
  lineTooLongLog(limit: number): string;
  /** Line sent to a client closed for being silent too long. */
  idleTimeout(seconds: number): string;
  /** Log line for the same. */
  idleTimeoutLog(seconds: number): string;
  /** Line sent to each client of reply mode when the server stops. */
  shuttingDown: string;
  /** Logged when a stop signal arrives. */
  stopping(signal: string): string;
  /** The summary printed at exit. */
  summary(stats: SummaryValues): string;
  /** Log lines were skipped because nobody read the server's output fast enough. */
  logSkipped(count: number): string;
  /** Trace of one read or write. */
  trace(direction: "read" | "write", bytes: number): string;
  /** Last line of a hex dump cut short: how many bytes are not shown. */
  hexDumpMore(count: number): string;
  /** Port already taken; `freePort` is a port that was free a moment ago, or null. */
  portInUse(host: string, port: number, freePort: number | null, option?: string): string;
  /** `--check`: the port is free. */
  portFree(host: string, port: number): string;
  /** `--check`: the port is taken. */
  portTaken(host: string, port: number): string;
  /** The address cannot be bound (not a local address, or unknown host). */
  cannotListen(host: string, port: number, detail: string): string;
  /** Detail of `cannotListen`: the host name does not resolve. */
  hostNotFoundDetail(host: string): string;
  /** Detail of `cannotListen`: the address is not one of this machine's. */
  notLocalAddressDetail(host: string): string;
  /** Detail of `cannotListen`: the host is not even well-formed ("a b"). */
  invalidHostDetail(host: string): string;
  /** Needs `--allow-net`. */
  needNetPermission(script: string): string;
  /** Any other failure, with its detail. */
  unexpected(detail: string): string;
  /** Prefix of a usage error, then the usage hint. */
  usageError(detail: string, script: string): string;
  /** What is wrong with a command line, one text per kind (see {@linkcode usageProblemText}). */
  usageProblems: UsageProblemTexts;
  /** Client: connected, with how to quit in interactive mode. */
  clientReady(host: string, port: number): string;
  /** Client: the server refused the connection. */
  connectionRefused(host: string, port: number): string;
  /** Client: the host name does not resolve. */
  unknownHost(host: string): string;
  /** Client: the host is not even well-formed ("a b"), so no lookup was made. */
  invalidHost(host: string): string;
  /** Client: no connection within the `--wait` time. */
  connectTimeout(host: string, port: number, seconds: number): string;
  /** Client: the connection could not be made for another reason. */
  cannotConnect(host: string, port: number, detail: string): string;
  /** Client: the server closed the connection. */
  serverClosed: string;
  /** Client: the connection broke (reset). */
  connectionLost(detail: string): string;
  /** Client: said when leaving on `exit`, Ctrl+D or Ctrl+C. */
  goodbye: string;
  /** Client: the server reset the connection (both modes say the same). */
  connectionReset: string;
  /** Client `--hex`: header of the dump of bytes sent. */
  hexSent(bytes: number): string;
  /** Client `--hex`: header of the dump of bytes received. */
  hexReceived(bytes: number): string;
  /** Log: how many characters of a long message were cut ("…" comes before it). */
  moreCharacters(count: number): string;
  /** Chat: the notice every member gets when the server stops (after "* "). */
  chatShuttingDown: string;
  /** Chat with `--redis`: the link to the other servers is down. */
  chatLinkLost: string;
  /** Chat with `--redis`: the link is back. */
  chatLinkRestored: string;
  /** Log: the link to Redis is up (at start, or again). */
  redisLinked(where: string): string;
  /** Log: the link to Redis is down; the room is local until it is back. */
  redisLinkLost(where: string): string;
  /** Log: a message on the room's channel was not ours, or broke a rule, and was dropped. */
  redisIgnoredMessage: string;
  /** Chat: log line for a client dropped because its backlog passed `--max-backlog`. */
  chatTooSlowLog(maxBacklogBytes: number): string;
  /**
   * Chat: the line a member gets on joining: its name, who else is here (in
   * the order they came), and that `/help` lists the commands.
   */
  chatWelcome(nick: string, others: readonly string[], notNamed: number): string;
  /** Chat: someone joined (to the others, and the log). */
  chatJoined(nick: string): string;
  /** Chat: someone left; `reason` is a {@linkcode Texts.chatLeaveReason} or their /quit text. */
  chatLeft(nick: string, reason: string | null): string;
  /** Chat: why someone left, as `chatLeft` and the log show it. */
  chatLeaveReason(reason: NonNullable<LeaveReason>): string;
  /** Chat: the reason in the log for a /quit with a reason of the member's own. */
  chatQuitLogReason(detail: string): string;
  /** Chat: someone took another name (to everyone, and the log). */
  chatRenamed(from: string, to: string): string;
  /** Chat: /nick with a name that breaks the rules; `maxLength` is the most characters. */
  chatInvalidNick(name: string, maxLength: number): string;
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
  /** Chat: /help, one command a line (the room puts "* " before each). */
  chatHelp: string;
  /** Full `--help` text of the server. */
  serverHelp: string;
  /** Full `--help` text of the client. */
  clientHelp: string;
}

/** Counters the summary reports. */
export interface SummaryValues {
  /** Connections accepted and served. */
  connections: number;
  /** Clients turned away at the connection limit or for lack of file descriptors. */
  rejected: number;
  /** Texts framed (reply mode). */
  messages: number;
  /** Bytes read from clients. */
  bytesIn: number;
  /** Bytes written to clients. */
  bytesOut: number;
  /** Seconds since the server started listening. */
  uptimeSeconds: number;
}

const SERVER_HELP_EN = `Usage: deno run --allow-net server.ts [options]

A TCP server that answers every message (reply mode), sends back every byte (echo mode),
or passes each line on to the other clients (chat mode).

Options:
  -H, --host HOST        address to bind (default 0.0.0.0; "::" or "::1" for IPv6)
  -p, --port PORT        port (default ${DEFAULT_PORT}; 0 picks a free port)
  -m, --mode MODE        reply (default) | echo | chat
      --reply TEMPLATE   reply text in reply mode; "{msg}" stands for the message
                         (default "Server received: {msg}")
      --lang en|zh       language of every message (default en; zh = the tutorial's texts)
      --max-conns N      most clients at once (default ${DEFAULT_MAX_CONNECTIONS})
      --max-line BYTES   longest message in reply and chat mode (default ${DEFAULT_MAX_LINE_BYTES})
      --idle-timeout S   close a client silent for S seconds (default 0 = never)
  -q, --quiet            log only errors
      --trace            log every read and write: its size, then its bytes in hex and
                         as text (up to 4096 bytes each)
      --strict-lines     reply and chat mode: a message ends only at "\\n" (text
                         without one is not taken as a message after a pause)
      --history N        chat mode: recent lines shown to each client that joins
                         (default ${DEFAULT_HISTORY_SIZE}; 0 = none)
      --max-backlog BYTES
                         chat mode: drop a client with more than BYTES waiting to be
                         sent to it, as too slow (default ${DEFAULT_MAX_BACKLOG_BYTES})
      --rate N           chat mode: lines a client may send per second, after a burst
                         of a few seconds' worth (default ${DEFAULT_RATE_LINES_PER_SECOND}; 0 = no limit)
      --web PORT         chat mode: also serve a web page on PORT whose visitors join
                         the same room from a browser (0 = any free port)
      --redis URL        chat mode: one room over every server started with the same
                         Redis URL (redis://[:password@]host:port) and --room
      --room NAME        chat mode with --redis: the room's name (default lobby)
      --check            only report whether PORT is free on HOST (exit 0 free, 1 in use)
  -h, --help             show this help
  -V, --version          show the version

Examples:
  deno run --allow-net server.ts
  deno run --allow-net server.ts --port 0 --mode echo
  deno run --allow-net server.ts --mode chat
  deno run --allow-net server.ts --lang zh --check`;

const SERVER_HELP_ZH = `用法：deno run --allow-net server.ts [选项]

TCP 服务端：回复每条信息（reply 模式），原样送回每个字节（echo 模式），
或把每一行转发给其他客户端（chat 模式）。

选项：
  -H, --host HOST        绑定的地址（默认 0.0.0.0；IPv6 用 "::" 或 "::1"）
  -p, --port PORT        端口（默认 ${DEFAULT_PORT}；0 表示任选一个空闲端口）
  -m, --mode MODE        reply（默认）| echo | chat
      --reply TEMPLATE   reply 模式的回复文字，"{msg}" 代表收到的信息
                         （默认 "服务端接收到的信息为：{msg}"）
      --lang en|zh       所有提示的语言（默认 en；zh 为教程原文）
      --max-conns N      同时连接的客户端上限（默认 ${DEFAULT_MAX_CONNECTIONS}）
      --max-line BYTES   reply 和 chat 模式下一条信息的最大字节数（默认 ${DEFAULT_MAX_LINE_BYTES}）
      --idle-timeout S   客户端静默 S 秒后断开（默认 0 = 永不）
  -q, --quiet            只记录错误
      --trace            记录每次读写：字节数，以及十六进制和文本形式的内容
                         （每次最多 4096 字节）
      --strict-lines     reply 和 chat 模式下一条信息只以 "\\n" 结束（没有换行的
                         文字停顿后也不算一条信息）
      --history N        chat 模式：向新加入的客户端显示最近多少行
                         （默认 ${DEFAULT_HISTORY_SIZE}；0 = 不显示）
      --max-backlog BYTES
                         chat 模式：等待发给某个客户端的数据超过 BYTES 字节时，
                         认为它太慢并断开（默认 ${DEFAULT_MAX_BACKLOG_BYTES}）
      --rate N           chat 模式：每个客户端每秒最多发送的行数，允许几秒的突发量
                         （默认 ${DEFAULT_RATE_LINES_PER_SECOND}；0 = 不限制）
      --web PORT         chat 模式：同时在 PORT 端口提供网页，浏览器访客加入同一个
                         聊天室（0 = 任选空闲端口）
      --redis URL        chat 模式：所有使用同一个 Redis 地址
                         （redis://[:密码@]主机:端口）和 --room 的服务器组成一个聊天室
      --room NAME        chat 模式配合 --redis：聊天室名称（默认 lobby）
      --check            只检查 HOST 上的 PORT 是否空闲（空闲退出码 0，被占用 1）
  -h, --help             显示本帮助
  -V, --version          显示版本

示例：
  deno run --allow-net server.ts --lang zh
  deno run --allow-net server.ts --port 0 --mode echo
  deno run --allow-net server.ts --mode chat
  deno run --allow-net server.ts --lang zh --check`;

const CLIENT_HELP_EN = `Usage: deno run --allow-net client.ts [HOST] [PORT] [options]

An interactive TCP client. On a terminal it shows a ">>> " prompt and sends each line;
"exit", Ctrl+D or Ctrl+C quits. With piped input it forwards bytes unchanged, like nc.

Options:
  -H, --host HOST     server address (default 127.0.0.1)
  -p, --port PORT     server port (default ${DEFAULT_PORT})
  -C, --crlf          end each line you type with "\\r\\n" instead of "\\n" (as ncat -C)
  -w, --wait SECONDS  give up connecting after SECONDS; once stdin ends, stop waiting
                      for a server that stays silent that long (as nc -w)
      --hex           show the bytes in hex beside the text
      --lang en|zh    language of every message (default en)
  -h, --help          show this help
  -V, --version       show the version

Keys on a terminal: Left/Right, Home/End, Up/Down (lines sent before), Ctrl+A/E/U/K/W/Y
as in bash, Ctrl+L clears the screen, Ctrl+Z suspends (fg resumes).
Exit codes: 0 done, 1 cannot connect, connection lost or turned away by the server, 2 bad option.

Examples:
  deno run --allow-net client.ts
  deno run --allow-net client.ts 127.0.0.1 50000 --lang zh
  printf 'good boy\\n' | deno run --allow-net client.ts`;

const CLIENT_HELP_ZH = `用法：deno run --allow-net client.ts [HOST] [PORT] [选项]

交互式 TCP 客户端。在终端中显示 ">>> " 提示符并发送每一行；
输入 exit、按 Ctrl+D 或 Ctrl+C 退出。输入来自管道时原样转发字节，如同 nc。

选项：
  -H, --host HOST     服务端地址（默认 127.0.0.1）
  -p, --port PORT     服务端端口（默认 ${DEFAULT_PORT}）
  -C, --crlf          输入的每行以 "\\r\\n" 结尾，而不是 "\\n"（同 ncat -C）
  -w, --wait SECONDS  连接最多等待 SECONDS 秒；输入结束后，服务端静默这么久
                      就不再等待（同 nc -w）
      --hex           以十六进制显示字节，旁边附上文字
      --lang en|zh    所有提示的语言（默认 en）
  -h, --help          显示本帮助
  -V, --version       显示版本

终端中的按键：左/右、Home/End、上/下（之前发送过的行），Ctrl+A/E/U/K/W/Y 与 bash 相同，
Ctrl+L 清屏，Ctrl+Z 挂起（fg 恢复）。
退出码：0 正常结束，1 无法连接、连接中断或被服务端拒绝，2 选项错误。

示例：
  deno run --allow-net client.ts --lang zh
  deno run --allow-net client.ts 127.0.0.1 50000 --lang zh
  printf '好男孩\\n' | deno run --allow-net client.ts`;

/** Chat /help in English; the room puts "* " before each line. */
const CHAT_HELP_EN = `Commands:
/nick NAME      take another name
/who            list who is here
/msg NAME TEXT  send TEXT to NAME only
/me TEXT        tell the others what you do ("/me waves" shows "* guest1 waves")
/quit [REASON]  leave the chat
/help           show this list
A line starting with // sends text starting with /`;

/** Chat /help in Chinese: the commands stay the same words. */
const CHAT_HELP_ZH = `命令：
/nick 名字        换一个名字
/who              查看谁在聊天室
/msg 名字 文字    只把文字发给这个人
/me 文字          告诉其他人你在做什么（"/me 挥手" 显示为 "* guest1 挥手"）
/quit [原因]      离开聊天室
/help             显示本列表
以 // 开头的行会作为以 / 开头的文字发出`;

/** A chat command's arguments, for its usage line. */
const CHAT_USAGE_EN: Record<ChatCommandWithArgs, string> = {
  nick: "/nick NAME",
  msg: "/msg NAME TEXT",
  me: "/me TEXT",
};
const CHAT_USAGE_ZH: Record<ChatCommandWithArgs, string> = {
  nick: "/nick 名字",
  msg: "/msg 名字 文字",
  me: "/me 文字",
};

/** Why someone left the chat: English says the reason as the code names it. */
const LEAVE_REASONS_EN: Record<NonNullable<LeaveReason>, string> = {
  quit: "quit",
  "connection lost": "connection lost",
  idle: "idle",
  "too slow": "too slow",
  "line too long": "line too long",
  flooding: "flooding",
  "server lost": "server lost",
};
const LEAVE_REASONS_ZH: Record<NonNullable<LeaveReason>, string> = {
  quit: "退出",
  "connection lost": "连接中断",
  idle: "空闲超时",
  "too slow": "接收太慢",
  "line too long": "信息太长",
  flooding: "刷屏",
  "server lost": "服务器失联",
};

/** What follows the script name in a usage line, as each help text writes it. */
const USAGE_ARGS: Record<Lang, Record<string, string>> = {
  en: { "server.ts": "[options]", "client.ts": "[HOST] [PORT] [options]" },
  zh: { "server.ts": "[选项]", "client.ts": "[HOST] [PORT] [选项]" },
};

/** Usage errors in English. `option` is null for client.ts's HOST and PORT arguments. */
const USAGE_PROBLEMS_EN: UsageProblemTexts = {
  unknownOption: (p) => `Unknown option "${p.option}"`,
  missingValue: (p) => `Option "${p.option}" needs a value`,
  valueIsOption: (p) =>
    `Option "${p.option}" needs a value (got the option "${p.value}"; ` +
    `to use that text, write ${p.option}=${p.value})`,
  flagWithValue: (p) => `Option "${p.option}" does not take a value`,
  unexpectedArgument: (p) => `Unexpected argument "${p.argument}"`,
  invalidPort: (p) =>
    `Invalid ${p.option ?? "port"} "${p.value}": expected a whole number from 0 to 65535`,
  portZero: (p) => `Invalid ${p.option ?? "port"} "${p.value}": a server cannot listen on port 0`,
  invalidCount: (p) => `Invalid ${p.option} "${p.value}": expected a whole number >= ${p.min}`,
  invalidSeconds: (p) =>
    `Invalid ${p.option} "${p.value}": expected a number of seconds ` +
    (p.allowZero ? `from 0 to ${p.max}` : `above 0, up to ${p.max}`),
  invalidChoice: (p) => `Invalid ${p.option} "${p.value}": expected ${p.choices.join(" or ")}`,
  emptyHost: (p) => `Invalid ${p.option ?? "host"} "${p.value}": expected an address`,
  hostWithPort: (p) =>
    `Invalid ${p.option ?? "host"} "${p.value}": give the port separately: ` +
    (p.option === null
      ? `client.ts ${p.host} ${p.port} (or --port ${p.port})`
      : `${p.option} ${p.host} --port ${p.port}`),
  givenTwice: (p) =>
    `${p.what === "host" ? "Host" : "Port"} given twice: ` +
    `"${p.argument}" and ${p.option} "${p.value}"`,
  modeOnly: (p) =>
    `${p.option} applies to ${p.modes.join(" and ")} ${p.modes.length === 1 ? "mode" : "modes"} ` +
    `only (this is --mode ${p.mode})`,
  invalidRedisUrl: (p) =>
    `Invalid ${p.option} "${p.value}": expected a URL such as redis://127.0.0.1:6379`,
  invalidRoomName: (p) =>
    `Invalid ${p.option} "${p.value}": expected 1 to 64 letters, digits, '_', '-' or '.'`,
};

/** Usage errors in Chinese: option names and values stay as typed, the rest is Chinese. */
const USAGE_PROBLEMS_ZH: UsageProblemTexts = {
  unknownOption: (p) => `未知选项 "${p.option}"`,
  missingValue: (p) => `选项 "${p.option}" 需要一个值`,
  valueIsOption: (p) =>
    `选项 "${p.option}" 需要一个值（后面跟的是选项 "${p.value}"；` +
    `如果要用这段文字，请写成 ${p.option}=${p.value}）`,
  flagWithValue: (p) => `选项 "${p.option}" 不接受值`,
  unexpectedArgument: (p) => `多余的参数 "${p.argument}"`,
  invalidPort: (p) =>
    `无效的${subjectZh(p.option, "端口")} "${p.value}"：应为 0 到 65535 之间的整数`,
  portZero: (p) => `无效的${subjectZh(p.option, "端口")} "${p.value}"：服务端不能监听 0 端口`,
  invalidCount: (p) => `无效的 ${p.option} "${p.value}"：应为不小于 ${p.min} 的整数`,
  invalidSeconds: (p) =>
    `无效的 ${p.option} "${p.value}"：应为` +
    (p.allowZero ? ` 0 到 ${p.max} 之间的秒数` : `大于 0、不超过 ${p.max} 的秒数`),
  invalidChoice: (p) => `无效的 ${p.option} "${p.value}"：应为 ${p.choices.join(" 或 ")}`,
  emptyHost: (p) => `无效的${subjectZh(p.option, "主机")} "${p.value}"：应为一个地址`,
  hostWithPort: (p) =>
    `无效的${subjectZh(p.option, "主机")} "${p.value}"：端口请分开写：` +
    (p.option === null
      ? `client.ts ${p.host} ${p.port}（或 --port ${p.port}）`
      : `${p.option} ${p.host} --port ${p.port}`),
  givenTwice: (p) =>
    `${p.what === "host" ? "主机" : "端口"}指定了两次："${p.argument}" 和 ${p.option} "${p.value}"`,
  modeOnly: (p) => `${p.option} 只用于 ${p.modes.join(" 和 ")} 模式（当前为 --mode ${p.mode}）`,
  invalidRedisUrl: (p) =>
    `无效的 ${p.option} "${p.value}"：应为以协议名开头的完整地址（见 --help）`,
  invalidRoomName: (p) =>
    `无效的 ${p.option} "${p.value}"：应为 1 到 64 个字母、数字、'_'、'-' 或 '.'`,
};

/** "--port" as typed, or the Chinese noun for client.ts's HOST or PORT argument. */
function subjectZh(option: string | null, noun: string): string {
  return option === null ? noun : ` ${option}`;
}

const START_HINT = "deno run --allow-net server.ts";

/** The catalogue: one complete set of texts per language. */
export const TEXTS: Record<Lang, Texts> = {
  en: {
    defaultReply: "Server received: {msg}",
    ready: (host, port) => `Server listening on ${hostPort(host, port)}, waiting for clients...`,
    webReady: (host, port) => `Web page at http://${hostPort(host, port)}/`,
    webForeignOrigin: (origin) => `refused a WebSocket from another site (Origin ${origin})`,
    clientConnected: (count) => `client connected (${count} connected)`,
    clientDisconnected: (count) => `client disconnected (${count} connected)`,
    messageReceived: (text) => `received: ${text}`,
    messagesNotShown: (count) =>
      `(${plural(count, "more message", "more messages")} received in the last second, not shown)`,
    clientError: (detail) => `connection error: ${detail}`,
    clientReset: "connection reset by the client",
    tooManyClientsLog: (limit) =>
      `client turned away: already ${plural(limit, "client", "clients")} (--max-conns)`,
    tooManyClients: (limit) =>
      `Server busy: it already has ${plural(limit, "client", "clients")}, try again later`,
    outOfFileDescriptors: (clients, turningAway) =>
      `Out of file descriptors with ${plural(clients, "client", "clients")} connected: ` +
      (turningAway
        ? "new clients get the busy line until some leave"
        : "new clients wait until some leave") +
      ` (raise the limit with "ulimit -n" before starting the server, ` +
      `or set --max-conns below ${clients})`,
    fileDescriptorsAvailable: (turnedAway) =>
      `File descriptors available again, accepting clients (${turnedAway} turned away meanwhile)`,
    lineTooLong: (limit) =>
      `Message too long: the limit is ${plural(limit, "byte", "bytes")}, closing the connection`,
    lineTooLongLog: (limit) =>
      `message over ${plural(limit, "byte", "bytes")} (--max-line), connection closed`,
    idleTimeout: (seconds) =>
      `Closing the connection: no data for ${plural(seconds, "second", "seconds")}`,
    idleTimeoutLog: (seconds) => `silent for ${seconds} s (--idle-timeout), connection closed`,
    shuttingDown: "Server shutting down, goodbye",
    stopping: (signal) => `Received ${signal}, shutting down...`,
    summary: (s) =>
      `Served ${plural(s.connections, "connection", "connections")} ` +
      `(${s.rejected} turned away), ${plural(s.messages, "message", "messages")}, ` +
      `${plural(s.bytesIn, "byte", "bytes")} in, ${plural(s.bytesOut, "byte", "bytes")} out, ` +
      `up ${s.uptimeSeconds.toFixed(1)} s`,
    trace: (direction, bytes) => `${direction} ${plural(bytes, "byte", "bytes")}`,
    hexDumpMore: (count) => `... ${plural(count, "more byte", "more bytes")}`,
    logSkipped: (count) =>
      `(${plural(count, "log line", "log lines")} skipped: the output was not read fast enough)`,
    portInUse: (host, port, freePort, option = "--port") =>
      `Cannot listen on ${hostPort(host, port)}: port ${port} is already in use` +
      (freePort === null
        ? ` (stop the program using it, or choose another port with ${option})`
        : ` (try ${option} ${freePort}, which is free)`),
    portFree: (host, port) => `Port ${port} is free on ${host}`,
    portTaken: (host, port) => `Port ${port} is in use on ${host}`,
    cannotListen: (host, port, detail) => `Cannot listen on ${hostPort(host, port)}: ${detail}`,
    hostNotFoundDetail: (host) => `host "${host}" was not found`,
    notLocalAddressDetail: (host) => `"${host}" is not an address of this machine`,
    invalidHostDetail: (host) => `"${host}" is not a valid host name`,
    needNetPermission: (script) =>
      `Network access is needed: run it as "deno run --allow-net ${script}"`,
    unexpected: (detail) => `Unexpected error: ${detail}`,
    usageError: (detail, script) =>
      `${detail}\nUsage: deno run --allow-net ${script} ${USAGE_ARGS.en[script] ?? "[options]"} ` +
      `(--help lists every option)`,
    usageProblems: USAGE_PROBLEMS_EN,
    clientReady: (host, port) =>
      `Connected to ${hostPort(host, port)}. Type a message and press Enter; "exit" quits.`,
    connectionRefused: (host, port) =>
      `Cannot connect to ${hostPort(host, port)}: connection refused ` +
      `(is the server running? Start it with: ${START_HINT})`,
    unknownHost: (host) => `Cannot connect: host "${host}" was not found`,
    invalidHost: (host) => `Cannot connect: "${host}" is not a valid host name`,
    connectTimeout: (host, port, seconds) =>
      `Cannot connect to ${hostPort(host, port)}: no answer within ` +
      plural(seconds, "second", "seconds"),
    cannotConnect: (host, port, detail) => `Cannot connect to ${hostPort(host, port)}: ${detail}`,
    serverClosed: "The server closed the connection",
    connectionLost: (detail) => `Connection lost: ${detail}`,
    goodbye: "Bye",
    connectionReset: "Connection lost: the server reset the connection",
    hexSent: (bytes) => `> sent ${bytes} ${bytes === 1 ? "byte" : "bytes"}`,
    hexReceived: (bytes) => `< received ${bytes} ${bytes === 1 ? "byte" : "bytes"}`,
    moreCharacters: (count) => `${count} more ${plural(count, "character", "characters")}`,
    chatShuttingDown: "server shutting down",
    chatLinkLost: "link to other servers lost; only people on this server hear you now",
    chatLinkRestored: "link restored",
    redisLinked: (where) => `linked to the other servers of the room through ${where}`,
    redisLinkLost: (where) =>
      `lost the link to ${where}; the room goes on with this server's clients, trying again`,
    redisIgnoredMessage:
      "ignored a message on the room's channel that is not ours or breaks a rule",
    chatTooSlowLog: (bytes) =>
      `dropped: more than ${bytes} bytes waiting to be sent (--max-backlog), the client is not reading`,
    chatWelcome: (nick, others, notNamed) =>
      `Welcome to the chat, you are ${nick}. ` +
      (others.length === 0 ? "Nobody else is here yet." : `Also here: ${others.join(", ")}` +
        (notNamed === 0 ? "." : ` and ${notNamed} more (/who names everyone).`)) +
      " /help lists the commands",
    chatJoined: (nick) => `${nick} joined`,
    chatLeft: (nick, reason) => `${nick} left` + (reason === null ? "" : ` (${reason})`),
    chatLeaveReason: (reason) => LEAVE_REASONS_EN[reason],
    chatQuitLogReason: (detail) => `quit: ${detail}`,
    chatRenamed: (from, to) => `${from} is now ${to}`,
    chatInvalidNick: (name, maxLength) =>
      `Invalid name "${name}": use 1 to ${maxLength} letters, digits, "_" or "-"`,
    chatNickTaken: (name) => `The name "${name}" is taken`,
    chatNickUnchanged: (name) => `You are already ${name}`,
    chatNoSuchNick: (name) => `Nobody here is called "${name}"`,
    chatWho: (nicks) => `${plural(nicks.length, "person", "people")} here: ${nicks.join(", ")}`,
    chatUsage: (command) => `Usage: ${CHAT_USAGE_EN[command]}`,
    chatUnknownCommand: (command) => `Unknown command "/${command}": /help lists the commands`,
    chatHelp: CHAT_HELP_EN,
    serverHelp: SERVER_HELP_EN,
    clientHelp: CLIENT_HELP_EN,
  },
  zh: {
    defaultReply: "服务端接收到的信息为：{msg}",
    ready: (_host, port) => `服务端启动成功，在${port}端口等待客户端连接...`,
    webReady: (host, port) => `网页地址：http://${hostPort(host, port)}/`,
    webForeignOrigin: (origin) => `拒绝了来自其他网站的 WebSocket（Origin ${origin}）`,
    clientConnected: (count) => `接受一个客户端连接（当前 ${count} 个连接）`,
    clientDisconnected: (count) => `客户端断开连接（当前 ${count} 个连接）`,
    messageReceived: (text) => `收到对方的信息：${text}`,
    messagesNotShown: (count) => `（最近一秒还收到 ${count} 条信息，未逐条显示）`,
    clientError: (detail) => `连接出错：${detail}`,
    clientReset: "客户端重置了连接",
    tooManyClientsLog: (limit) => `拒绝客户端：已有 ${limit} 个连接（--max-conns）`,
    tooManyClients: (limit) => `服务端繁忙：已有 ${limit} 个客户端，请稍后再试`,
    outOfFileDescriptors: (clients, turningAway) =>
      `文件描述符已用尽（当前 ${clients} 个连接）：` +
      (turningAway ? "新的客户端会收到繁忙提示并被断开" : "新的客户端只能等待") +
      `，直到有客户端离开（启动服务端前用 "ulimit -n" 提高上限，` +
      `或把 --max-conns 设为小于 ${clients}）`,
    fileDescriptorsAvailable: (turnedAway) =>
      `文件描述符已恢复，继续接受客户端（期间拒绝了 ${turnedAway} 个）`,
    lineTooLong: (limit) => `信息太长：上限为 ${limit} 字节，连接将关闭`,
    lineTooLongLog: (limit) => `信息超过 ${limit} 字节（--max-line），已关闭连接`,
    idleTimeout: (seconds) => `${seconds} 秒内没有收到数据，连接将关闭`,
    idleTimeoutLog: (seconds) => `静默 ${seconds} 秒（--idle-timeout），已关闭连接`,
    shuttingDown: "服务端正在关闭，再见",
    stopping: (signal) => `收到 ${signal}，正在关闭服务端...`,
    summary: (s) =>
      `共服务 ${s.connections} 个连接（拒绝 ${s.rejected} 个），${s.messages} 条信息，` +
      `收到 ${s.bytesIn} 字节，发送 ${s.bytesOut} 字节，运行 ${s.uptimeSeconds.toFixed(1)} 秒`,
    trace: (direction, bytes) => `${direction === "read" ? "读取" : "写入"} ${bytes} 字节`,
    hexDumpMore: (count) => `... 还有 ${count} 字节`,
    logSkipped: (count) => `（输出读取太慢，跳过了 ${count} 行日志）`,
    portInUse: (host, port, freePort, option = "--port") =>
      `无法在 ${hostPort(host, port)} 上监听：端口 ${port} 已被占用` +
      (freePort === null
        ? `（请关闭占用它的程序，或用 ${option} 换一个端口）`
        : `（可以改用 ${option} ${freePort}，该端口空闲）`),
    portFree: (host, port) => `${host} 上的端口 ${port} 空闲`,
    portTaken: (host, port) => `${host} 上的端口 ${port} 已被占用`,
    cannotListen: (host, port, detail) => `无法在 ${hostPort(host, port)} 上监听：${detail}`,
    hostNotFoundDetail: (host) => `找不到主机 "${host}"`,
    notLocalAddressDetail: (host) => `"${host}" 不是本机的地址`,
    invalidHostDetail: (host) => `"${host}" 不是有效的主机名`,
    needNetPermission: (script) => `需要网络权限：请用 "deno run --allow-net ${script}" 运行`,
    unexpected: (detail) => `意外错误：${detail}`,
    usageError: (detail, script) =>
      `${detail}\n用法：deno run --allow-net ${script} ${USAGE_ARGS.zh[script] ?? "[选项]"}` +
      `（--help 列出所有选项）`,
    usageProblems: USAGE_PROBLEMS_ZH,
    clientReady: (host, port) =>
      `已连接到 ${hostPort(host, port)}。输入信息后按回车发送，输入 exit 退出。`,
    connectionRefused: (host, port) =>
      `无法连接到 ${hostPort(host, port)}：由于目标计算机积极拒绝，无法连接` +
      `（服务端启动了吗？先运行：${START_HINT}）`,
    unknownHost: (host) => `无法连接：找不到主机 "${host}"`,
    invalidHost: (host) => `无法连接："${host}" 不是有效的主机名`,
    connectTimeout: (host, port, seconds) =>
      `无法连接到 ${hostPort(host, port)}：${seconds} 秒内没有响应`,
    cannotConnect: (host, port, detail) => `无法连接到 ${hostPort(host, port)}：${detail}`,
    serverClosed: "服务端已关闭连接",
    connectionLost: (detail) => `连接中断：${detail}`,
    goodbye: "再见",
    connectionReset: "连接中断：服务端重置了连接",
    hexSent: (bytes) => `> 发送 ${bytes} 字节`,
    hexReceived: (bytes) => `< 收到 ${bytes} 字节`,
    moreCharacters: (count) => `还有 ${count} 个字符`,
    chatShuttingDown: "服务端正在关闭",
    chatLinkLost: "与其他服务器的连接已断开；现在只有本服务器上的人能收到你的消息",
    chatLinkRestored: "与其他服务器的连接已恢复",
    redisLinked: (where) => `已通过 ${where} 与聊天室的其他服务器连接`,
    redisLinkLost: (where) => `与 ${where} 的连接已断开；聊天室继续服务本服务器的客户端，正在重试`,
    redisIgnoredMessage: "忽略了聊天室频道上一条不属于本程序或不合规则的消息",
    chatTooSlowLog: (bytes) =>
      `已断开：待发送数据超过 ${bytes} 字节（--max-backlog），客户端没有读取`,
    chatWelcome: (nick, others, notNamed) =>
      `欢迎来到聊天室，你的名字是 ${nick}。` +
      (others.length === 0 ? "目前只有你一个人。" : `在线的还有：${others.join("、")}` +
        (notNamed === 0 ? "。" : `，另有 ${notNamed} 人（/who 列出所有人）。`)) +
      "输入 /help 查看命令",
    chatJoined: (nick) => `${nick} 加入了聊天室`,
    chatLeft: (nick, reason) => `${nick} 离开了聊天室` + (reason === null ? "" : `（${reason}）`),
    chatLeaveReason: (reason) => LEAVE_REASONS_ZH[reason],
    chatQuitLogReason: (detail) => `退出：${detail}`,
    chatRenamed: (from, to) => `${from} 改名为 ${to}`,
    chatInvalidNick: (name, maxLength) =>
      `无效的名字 "${name}"：名字应由 1 到 ${maxLength} 个字母、数字、"_" 或 "-" 组成`,
    chatNickTaken: (name) => `名字 "${name}" 已被占用`,
    chatNickUnchanged: (name) => `你的名字已经是 ${name}`,
    chatNoSuchNick: (name) => `这里没有名为 "${name}" 的人`,
    chatWho: (nicks) => `当前在线 ${nicks.length} 人：${nicks.join("、")}`,
    chatUsage: (command) => `用法：${CHAT_USAGE_ZH[command]}`,
    chatUnknownCommand: (command) => `未知命令 "/${command}"：输入 /help 查看命令`,
    chatHelp: CHAT_HELP_ZH,
    serverHelp: SERVER_HELP_ZH,
    clientHelp: CLIENT_HELP_ZH,
  },
};

/**
 * Describes a usage problem in the language of `texts`.
 *
 * @param texts The catalogue of one language, such as `TEXTS.zh`.
 * @param problem What is wrong with the command line.
 * @returns One line, without the usage hint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TEXTS, usageProblemText } from "./texts.ts";
 * const problem = { kind: "unknownOption", option: "--x" } as const;
 * assert(usageProblemText(TEXTS.en, problem) === 'Unknown option "--x"');
 * assert(usageProblemText(TEXTS.zh, problem) === '未知选项 "--x"');
 * ```
 */
export function usageProblemText(texts: Texts, problem: UsageProblem): string {
  // Each text takes its own kind; TypeScript cannot pair kind and text through an index.
  const text = texts.usageProblems[problem.kind] as (problem: UsageProblem) => string;
  return text(problem);
}

/**
 * A count and its noun, singular for exactly 1 ("1 byte", "0 bytes", "0.5
 * seconds"). English only: the Chinese texts use a measure word, not a plural.
 */
function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Formats an address as `host:port`, with an IPv6 host in brackets.
 *
 * @param host A host name or IP address.
 * @param port A port number.
 * @returns For example `0.0.0.0:50000` or `[::1]:50000`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostPort } from "./texts.ts";
 * assert(hostPort("::1", 80) === "[::1]:80");
 * ```
 */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
