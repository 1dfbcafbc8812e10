/**
 * What the command lines say, in English and in Chinese: the `--help` texts
 * of both scripts, the usage errors ({@linkcode usageProblemText}), and the
 * usage hint after them.
 *
 * The catalogue is a `Record<Lang, CliTexts>`, so a text missing in one
 * language is a type error.
 *
 * @module
 */

import {
  DEFAULT_HISTORY_SIZE,
  DEFAULT_MAX_BACKLOG_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_JOINS_PER_MINUTE,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_PER_ADDRESS,
  DEFAULT_PORT,
  DEFAULT_RATE_LINES_PER_SECOND,
} from "../settings/defaults.ts";
import type { Lang } from "../settings/lang.ts";
import { MIN_ROOM_KEY_LENGTH } from "../chat/room_key.ts";
import type { UsageProblem, UsageProblemTexts } from "./usage_problem.ts";

/** Every text of the command lines. */
export interface CliTexts {
  /** Prefix of a usage error, then the usage hint. */
  usageError(detail: string, script: string): string;
  /** What is wrong with a command line, one text per kind (see {@linkcode usageProblemText}). */
  usageProblems: UsageProblemTexts;
  /** Full `--help` text of the server. */
  serverHelp: string;
  /** Full `--help` text of the client. */
  clientHelp: string;
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
      --max-per-address N
                         most connections at once from one IPv4 address or IPv6 /64,
                         TCP and web together (default ${DEFAULT_MAX_PER_ADDRESS}: a class behind one NAT;
                         0 = no limit)
      --max-joins-per-minute N
                         new connections a minute from one address, after a burst of
                         as many (default ${DEFAULT_MAX_JOINS_PER_MINUTE}; 0 = no limit)
      --trust ADDRESS[/BITS]
                         exempt from both limits (repeatable; IPv4 or IPv6); loopback
                         (127.0.0.0/8, ::1) always is
      --allow ADDRESS[/BITS]
                         only these may connect, this machine too (repeatable; as
                         ncat --allow)
      --deny ADDRESS[/BITS]
                         these may not connect, even if allowed (repeatable); a refused
                         client is closed without a word
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
      --op-key-file FILE chat mode: the operator key (/op KEY) is FILE's first line,
                         not a fresh one each start (needs --allow-read=FILE)
      --key-file FILE    chat mode: the room's key is FILE's first line (at least
                         ${MIN_ROOM_KEY_LENGTH} characters): whoever joins must give it first, a
                         wrong key is closed after a second (needs --allow-read=FILE;
                         with --redis, every server of the room needs the same key)
      --tls-cert FILE    speak TLS on PORT (and HTTPS with --web) with this certificate
                         chain (PEM); needs --tls-key and --allow-read=CERT,KEY
      --tls-key FILE     the certificate's private key (PEM)
      --plain-port PORT  with --tls-cert: also take plaintext clients (nc, telnet) on
                         PORT, into the same server and room
      --check            only report whether PORT is free on HOST (exit 0 free, 1 in use)
  -h, --help             show this help
  -V, --version          show the version

Examples:
  deno run --allow-net server.ts
  deno run --allow-net server.ts --port 0 --mode echo
  deno run --allow-net server.ts --mode chat
  deno run --allow-net --allow-read=key.txt server.ts --mode chat --key-file key.txt
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
      --max-per-address N
                         同一个 IPv4 地址或 IPv6 /64 同时连接的上限，TCP 和网页合计
                         （默认 ${DEFAULT_MAX_PER_ADDRESS}：够一个班在同一 NAT 后使用；0 = 不限制）
      --max-joins-per-minute N
                         同一个地址每分钟新建连接的上限，允许同样多的突发量
                         （默认 ${DEFAULT_MAX_JOINS_PER_MINUTE}；0 = 不限制）
      --trust ADDRESS[/BITS]
                         不受以上两项限制的地址（可重复；IPv4 或 IPv6）；
                         本机回环地址（127.0.0.0/8、::1）始终不受限制
      --allow ADDRESS[/BITS]
                         只允许这些地址连接，本机也不例外（可重复；同 ncat --allow）
      --deny ADDRESS[/BITS]
                         拒绝这些地址连接，即使已被允许（可重复）；
                         被拒绝的客户端会被直接断开，不发送任何提示
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
      --op-key-file FILE chat 模式：管理员密钥（/op 密钥）取 FILE 的第一行，
                         而不是每次启动新生成（需要 --allow-read=FILE）
      --key-file FILE    chat 模式：聊天室密钥取 FILE 的第一行（至少 ${MIN_ROOM_KEY_LENGTH} 个字符），
                         加入时必须先输入密钥，输错一秒后断开（需要 --allow-read=FILE；
                         配合 --redis 时同一聊天室的所有服务器须使用同一个密钥）
      --tls-cert FILE    在 PORT 上使用 TLS（配合 --web 时网页为 HTTPS），FILE 为证书链
                         （PEM）；需要 --tls-key 和 --allow-read=证书,私钥
      --tls-key FILE     证书的私钥（PEM）
      --plain-port PORT  配合 --tls-cert：同时在 PORT 上接受明文客户端（nc、telnet），
                         进入同一个服务端和聊天室
      --check            只检查 HOST 上的 PORT 是否空闲（空闲退出码 0，被占用 1）
  -h, --help             显示本帮助
  -V, --version          显示版本

示例：
  deno run --allow-net server.ts --lang zh
  deno run --allow-net server.ts --port 0 --mode echo
  deno run --allow-net server.ts --mode chat
  deno run --allow-net --allow-read=key.txt server.ts --mode chat --key-file key.txt
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
      --tls           speak TLS: check the server's certificate and name against the
                      usual roots (as ncat --ssl --ssl-verify)
      --ca FILE       also trust the root certificate in FILE (PEM); implies --tls
                      and needs --allow-read=FILE
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
      --tls           使用 TLS：按常用的根证书检查服务端的证书和名称
                      （同 ncat --ssl --ssl-verify）
      --ca FILE       另外信任 FILE 中的根证书（PEM）；隐含 --tls，
                      需要 --allow-read=FILE
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
  shortOperatorKey: (p) =>
    `Invalid ${p.option} "${p.file}": its first line must be a key of at least ${p.min} characters`,
  invalidAddressRange: (p) =>
    `Invalid ${p.option} "${p.value}": expected an IP address, or ADDRESS/BITS with BITS ` +
    `up to 32 for IPv4 and 128 for IPv6 (such as 192.0.2.0/24 or 2001:db8::/48)`,
  needsOption: (p) => `${p.option} needs ${p.needs} too`,
  samePort: (p) => `${p.option} and ${p.other} cannot both be port ${p.port}`,
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
  shortOperatorKey: (p) =>
    `无效的 ${p.option} "${p.file}"：文件第一行应为至少 ${p.min} 个字符的密钥`,
  invalidAddressRange: (p) =>
    `无效的 ${p.option} "${p.value}"：应为一个地址，或“地址/位数”，` +
    `位数不超过地址的位数（32 或 128），如 192.0.2.0/24`,
  needsOption: (p) => `${p.option} 需要同时指定 ${p.needs}`,
  samePort: (p) => `${p.option} 和 ${p.other} 不能是同一个端口 ${p.port}`,
};

/** "--port" as typed, or the Chinese noun for client.ts's HOST or PORT argument. */
function subjectZh(option: string | null, noun: string): string {
  return option === null ? noun : ` ${option}`;
}

/** The command lines' texts: one complete set per language. */
export const CLI_TEXTS: Record<Lang, CliTexts> = {
  en: {
    usageError: (detail, script) =>
      `${detail}\nUsage: deno run --allow-net ${script} ${USAGE_ARGS.en[script] ?? "[options]"} ` +
      `(--help lists every option)`,
    usageProblems: USAGE_PROBLEMS_EN,
    serverHelp: SERVER_HELP_EN,
    clientHelp: CLIENT_HELP_EN,
  },
  zh: {
    usageError: (detail, script) =>
      `${detail}\n用法：deno run --allow-net ${script} ${USAGE_ARGS.zh[script] ?? "[选项]"}` +
      `（--help 列出所有选项）`,
    usageProblems: USAGE_PROBLEMS_ZH,
    serverHelp: SERVER_HELP_ZH,
    clientHelp: CLIENT_HELP_ZH,
  },
};

/**
 * Describes a usage problem in the language of `texts`.
 *
 * @param texts The catalogue of one language, such as `CLI_TEXTS.zh`.
 * @param problem What is wrong with the command line.
 * @returns One line, without the usage hint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CLI_TEXTS, usageProblemText } from "./cli_texts.ts";
 * const problem = { kind: "unknownOption", option: "--x" } as const;
 * assert(usageProblemText(CLI_TEXTS.en, problem) === 'Unknown option "--x"');
 * assert(usageProblemText(CLI_TEXTS.zh, problem) === '未知选项 "--x"');
 * ```
 */
export function usageProblemText(texts: CliTexts, problem: UsageProblem): string {
  // Each text takes its own kind; TypeScript cannot pair kind and text through an index.
  const text = texts.usageProblems[problem.kind] as (problem: UsageProblem) => string;
  return text(problem);
}
