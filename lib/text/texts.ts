/**
 * The server's and the client's own lines, in English and in Chinese: what
 * the server logs and tells its clients in every mode, and what the client
 * says about its connection. The Chinese texts keep the tutorial's own
 * wording where it has one ("服务端接收到的信息为：…"). The chat room's lines
 * are in `../chat/chat_texts.ts`, the command lines' in `../cli/cli_texts.ts`.
 *
 * The catalogue is a `Record<Lang, Texts>`, so a text missing in one
 * language is a type error. Thrown errors meant for developers stay English.
 *
 * @module
 */

import type { Lang } from "../settings/lang.ts";
import { shellWords } from "./shell_words.ts";

/**
 * What every line the chat server writes itself starts with, in every
 * language: the room writes it, and the terminal client recognises (and dims)
 * such lines by it. No person's line can start with it: `/me` lines start
 * with {@linkcode ACTION_PREFIX} and a name, and a name holds no `*`.
 */
export const NOTICE_PREFIX = "*** ";

/**
 * What a `/me` line starts with, before the name: `* ann waves`. Shorter
 * than {@linkcode NOTICE_PREFIX}, so the two never look alike.
 */
export const ACTION_PREFIX = "* ";

/** The server's and the client's texts. Functions take the values they quote. */
export interface Texts {
  /** Reply template of reply mode; `{msg}` stands for the message. */
  defaultReply: string;
  /** First stdout line of the server, printed once it listens. */
  ready(host: string, port: number): string;
  /** The first stdout line with `--tls-cert`: the port speaks TLS. */
  readyTls(host: string, port: number): string;
  /** With `--plain-port`: where plaintext clients connect. */
  plainReady(host: string, port: number): string;
  /**
   * The second ready line of chat mode with `--web`: the page's address, with
   * `localhost` for a server on every address (`0.0.0.0`, `::`), which no
   * browser can open.
   */
  webReady(host: string, port: number, secure: boolean): string;
  /** After `webReady` for a server on every address: how others on the network open the page. */
  webReadyOthers(port: number, secure: boolean): string;
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
   * Log line of a client turned away for its address (`--allow`, `--deny`,
   * the limits per address), in a fixed form a log watcher (fail2ban) can
   * match: `refused ADDRESS:PORT: reason`, in Chinese
   * `已拒绝 ADDRESS:PORT：reason`.
   */
  refusedLog(peer: string, reason: string): string;
  /** Reason of `refusedLog`: the address is not allowed (`--allow`, `--deny`). */
  addressDeniedReason: string;
  /** Reason of `refusedLog`: over `--max-per-address`. */
  tooManyFromAddressReason(limit: number): string;
  /** Reason of `refusedLog`: over `--max-joins-per-minute`. */
  tooManyJoinsReason(limit: number): string;
  /** Line sent to a client over `--max-per-address`, before closing (the busy line's shape). */
  tooManyFromAddress(limit: number): string;
  /** Line sent to a client over `--max-joins-per-minute`, before closing. */
  tooManyJoins(limit: number): string;
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
  /** Needs `--allow-net`: the command to run instead, with the user's own arguments. */
  needNetPermission(script: string, args: readonly string[]): string;
  /**
   * Files to read at start (`--op-key-file`, `--tls-cert`, `--tls-key`,
   * `--ca`) without the permission: the command that has it, for all of them.
   */
  needReadPermission(files: readonly string[], script: string, args: readonly string[]): string;
  /** `--tls-cert` or `--tls-key` (or `--ca`) that cannot be read, with the detail. */
  cannotReadTlsFile(file: string, detail: string): string;
  /**
   * A certificate that works, but not for everyone: marked as a CA (rustls
   * clients, client.ts among them, refuse it), or expired.
   */
  tlsCertWarning(file: string, problem: "ca" | "expired"): string;
  /** The certificate and key were read but TLS cannot use them (not PEM, not a pair). */
  invalidTlsFiles(cert: string, key: string, detail: string): string;
  /**
   * Reason of `refusedLog`: a connection to the TLS port that never finished
   * its handshake, closed: too slow (`timeout`), not TLS (`not-tls`, with the
   * library's words), or one too many at once (`too-many`).
   */
  tlsRefusedReason(
    why: "timeout" | "not-tls" | "alert" | "closed" | "too-many" | "too-many-here",
    detail: string,
    seconds: number,
  ): string;
  /** `--op-key-file FILE` that cannot be read (missing, a folder, ...), with the detail. */
  cannotReadKeyFile(file: string, detail: string): string;
  /** `--key-file FILE` (the room's key) that cannot be read, with the detail. */
  cannotReadRoomKeyFile(file: string, detail: string): string;
  /** Any other failure, with its detail. */
  unexpected(detail: string): string;
  /** Client: connected, with how to quit in interactive mode. */
  clientReady(host: string, port: number): string;
  /** Client with `--tls`: connected, the certificate checked. */
  clientReadyTls(host: string, port: number): string;
  /** Client `--tls`: the server's certificate is signed by nobody this machine trusts. */
  tlsUnknownIssuer(host: string, port: number): string;
  /** Client `--tls`: the certificate is good but for other names (listed when known). */
  tlsWrongName(host: string, names: readonly string[]): string;
  /** Client `--tls`: the certificate has expired (or is not valid yet). */
  tlsExpired(host: string, port: number): string;
  /** Client `--tls`: the server did not answer in TLS (a plaintext server). */
  tlsNotTls(host: string, port: number): string;
  /** Client `--ca FILE`: FILE holds no PEM certificate. */
  caNotPem(file: string): string;
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

const START_HINT = "deno run --allow-net server.ts";
/** The catalogue: one complete set of texts per language. */
export const TEXTS: Record<Lang, Texts> = {
  en: {
    defaultReply: "Server received: {msg}",
    ready: (host, port) => `Server listening on ${hostPort(host, port)}, waiting for clients...`,
    readyTls: (host, port) =>
      `Server listening on ${hostPort(host, port)} with TLS, waiting for clients...`,
    plainReady: (host, port) => `Plaintext clients (nc, telnet) on ${hostPort(host, port)}`,
    webReady: (host, port, secure) => `Web page at ${pageUrl(host, port, secure)}`,
    webReadyOthers: (port, secure) =>
      `Others on your network: ${scheme(secure)}://ADDRESS:${port}/ ` +
      `(ADDRESS: this machine's address there)`,
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
    refusedLog: (peer, reason) => `refused ${peer}: ${reason}`,
    addressDeniedReason: "address not allowed (--allow, --deny)",
    tooManyFromAddressReason: (limit) =>
      `too many connections from this address (${limit}, --max-per-address)`,
    tooManyJoinsReason: (limit) =>
      `too many new connections from this address (${limit} a minute, --max-joins-per-minute)`,
    tooManyFromAddress: (limit) =>
      `Too many connections from your address: the limit is ${limit}, try again later`,
    tooManyJoins: (limit) =>
      `Too many new connections from your address: the limit is ${limit} a minute, ` +
      `try again later`,
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
    needNetPermission: (script, args) =>
      `Network access is needed: run it as "${netCommand(script, args)}"`,
    needReadPermission: (files, script, args) =>
      `Reading ${files.map((file) => `"${file}"`).join(" and ")} needs permission: run it as "${
        netCommand(script, args, files.join(","))
      }"`,
    cannotReadTlsFile: (file, detail) => `Cannot read the TLS file "${file}": ${detail}`,
    tlsCertWarning: (file, problem) =>
      problem === "ca"
        ? `Warning: the certificate "${file}" is marked as a CA (CA:TRUE): client.ts and ` +
          `other rustls clients refuse it; use a certificate signed by a CA (see the README)`
        : `Warning: the certificate "${file}" has expired: clients will refuse it`,
    invalidTlsFiles: (cert, key, detail) =>
      `Cannot use the TLS certificate "${cert}" with the key "${key}": ${detail} ` +
      `(both must be PEM files, the key the certificate's own)`,
    tlsRefusedReason: (why, detail, seconds) =>
      why === "timeout"
        ? `TLS handshake not finished within ${seconds} s`
        : why === "alert"
        ? `the client ended the TLS handshake (${detail}): does it trust the certificate?`
        : why === "closed"
        ? "closed before the TLS handshake was done"
        : why === "too-many"
        ? "too many TLS handshakes at once"
        : why === "too-many-here"
        ? "too many TLS handshakes at once from this address"
        : `not a TLS client (plaintext or HTTP on the TLS port?): ${detail}`,
    cannotReadKeyFile: (file, detail) => `Cannot read the operator key file "${file}": ${detail}`,
    cannotReadRoomKeyFile: (file, detail) => `Cannot read the room key file "${file}": ${detail}`,
    unexpected: (detail) => `Unexpected error: ${detail}`,
    clientReady: (host, port) =>
      `Connected to ${hostPort(host, port)}. Type a message and press Enter; "exit" quits.`,
    clientReadyTls: (host, port) =>
      `Connected to ${hostPort(host, port)} with TLS (certificate checked). ` +
      `Type a message and press Enter; "exit" quits.`,
    tlsUnknownIssuer: (host, port) =>
      `Cannot connect to ${hostPort(host, port)} with TLS: its certificate is not signed by ` +
      `an authority this machine trusts (self-signed, or a private CA?): ` +
      `add that CA with --ca FILE (and --allow-read=FILE)`,
    tlsWrongName: (host, names) =>
      `Cannot connect to ${host} with TLS: its certificate is not for "${host}"` +
      (names.length === 0 ? "" : ` but for ${names.join(", ")}`) +
      `: connect by a name it lists`,
    tlsExpired: (host, port) =>
      `Cannot connect to ${hostPort(host, port)} with TLS: its certificate has expired ` +
      `(or is not valid yet): the server must renew it (or check this machine's clock)`,
    tlsNotTls: (host, port) =>
      `Cannot connect to ${hostPort(host, port)} with TLS: the server did not answer in TLS ` +
      `(a plaintext server?): connect without --tls`,
    caNotPem: (file) =>
      `"${file}" holds no certificate: --ca needs a PEM file ("-----BEGIN CERTIFICATE-----")`,
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
  },
  zh: {
    defaultReply: "服务端接收到的信息为：{msg}",
    ready: (_host, port) => `服务端启动成功，在${port}端口等待客户端连接...`,
    readyTls: (_host, port) => `服务端启动成功，在${port}端口（TLS）等待客户端连接...`,
    plainReady: (_host, port) => `明文客户端（nc、telnet）请连接${port}端口`,
    webReady: (host, port, secure) => `网页地址：${pageUrl(host, port, secure)}`,
    webReadyOthers: (port, secure) =>
      `同一网络中的其他人：${scheme(secure)}://本机地址:${port}/` +
      `（“本机地址”即这台电脑在该网络中的地址）`,
    webForeignOrigin: (origin) => `拒绝了来自其他网站的 WebSocket（Origin ${origin}）`,
    clientConnected: (count) => `接受一个客户端连接（当前 ${count} 个连接）`,
    clientDisconnected: (count) => `客户端断开连接（当前 ${count} 个连接）`,
    messageReceived: (text) => `收到对方的信息：${text}`,
    messagesNotShown: (count) => `（最近一秒还收到 ${count} 条信息，未逐条显示）`,
    clientError: (detail) => `连接出错：${detail}`,
    clientReset: "客户端重置了连接",
    tooManyClientsLog: (limit) => `拒绝客户端：已有 ${limit} 个连接（--max-conns）`,
    tooManyClients: (limit) => `服务端繁忙：已有 ${limit} 个客户端，请稍后再试`,
    refusedLog: (peer, reason) => `已拒绝 ${peer}：${reason}`,
    addressDeniedReason: "该地址不允许连接（--allow、--deny）",
    tooManyFromAddressReason: (limit) => `该地址的连接过多（${limit} 个，--max-per-address）`,
    tooManyJoinsReason: (limit) =>
      `该地址新建连接过于频繁（每分钟 ${limit} 个，--max-joins-per-minute）`,
    tooManyFromAddress: (limit) => `你的地址连接过多：上限为 ${limit} 个，请稍后再试`,
    tooManyJoins: (limit) => `你的地址新建连接过于频繁：每分钟最多 ${limit} 个，请稍后再试`,
    outOfFileDescriptors: (clients, turningAway) =>
      `文件描述符已用尽（当前 ${clients} 个连接）：` +
      (turningAway ? "新的客户端会收到繁忙提示并被断开" : "新的客户端只能等待") +
      `，直到有客户端离开（启动服务端前用“ulimit -n”提高上限，` +
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
    hostNotFoundDetail: (host) => `找不到主机“${host}”`,
    notLocalAddressDetail: (host) => `“${host}”不是本机的地址`,
    invalidHostDetail: (host) => `“${host}”不是有效的主机名`,
    needNetPermission: (script, args) => `需要网络权限：请用“${netCommand(script, args)}”运行`,
    needReadPermission: (files, script, args) =>
      `读取${files.map((file) => `“${file}”`).join("和")}需要权限：请用“${
        netCommand(script, args, files.join(","))
      }”运行`,
    cannotReadTlsFile: (file, detail) => `无法读取 TLS 文件“${file}”：${detail}`,
    tlsCertWarning: (file, problem) =>
      problem === "ca"
        ? `警告：证书“${file}”被标记为 CA（CA:TRUE）：client.ts 等基于 rustls 的客户端会拒绝它；` +
          `请使用由 CA 签发的证书（见 README）`
        : `警告：证书“${file}”已过期：客户端会拒绝它`,
    invalidTlsFiles: (cert, key, detail) =>
      `无法使用 TLS 证书“${cert}”和私钥“${key}”：${detail}（两者都应为 PEM 文件，且私钥与证书配对）`,
    tlsRefusedReason: (why, detail, seconds) =>
      why === "timeout"
        ? `TLS 握手 ${seconds} 秒内未完成`
        : why === "alert"
        ? `客户端中止了 TLS 握手（${detail}）：它信任这个证书吗？`
        : why === "closed"
        ? "TLS 握手完成前连接已关闭"
        : why === "too-many"
        ? "同时进行的 TLS 握手太多"
        : why === "too-many-here"
        ? "该地址同时进行的 TLS 握手太多"
        : `不是 TLS 客户端（明文或 HTTP 连到了 TLS 端口？）：${detail}`,
    cannotReadKeyFile: (file, detail) => `无法读取管理员密钥文件“${file}”：${detail}`,
    cannotReadRoomKeyFile: (file, detail) => `无法读取聊天室密钥文件“${file}”：${detail}`,
    unexpected: (detail) => `意外错误：${detail}`,
    clientReady: (host, port) =>
      `已连接到 ${hostPort(host, port)}。输入信息后按回车发送，输入 exit 退出。`,
    clientReadyTls: (host, port) =>
      `已通过 TLS 连接到 ${
        hostPort(host, port)
      }（证书已验证）。输入信息后按回车发送，输入 exit 退出。`,
    tlsUnknownIssuer: (host, port) =>
      `无法通过 TLS 连接到 ${hostPort(host, port)}：它的证书不是本机信任的机构签发的` +
      `（自签名或私有 CA？）：请用 --ca FILE 加入该 CA（并加上 --allow-read=FILE）`,
    tlsWrongName: (host, names) =>
      `无法通过 TLS 连接到 ${host}：它的证书不是颁发给“${host}”的` +
      (names.length === 0 ? "" : `，而是颁发给 ${names.join("、")}`) +
      `：请用证书中列出的名称连接`,
    tlsExpired: (host, port) =>
      `无法通过 TLS 连接到 ${hostPort(host, port)}：它的证书已过期（或尚未生效）：` +
      `需要服务端更新证书（或检查本机时钟）`,
    tlsNotTls: (host, port) =>
      `无法通过 TLS 连接到 ${hostPort(host, port)}：服务端没有用 TLS 应答（明文服务端？）：` +
      `请去掉 --tls 再连接`,
    caNotPem: (file) => `“${file}”中没有证书：--ca 需要 PEM 文件（“-----BEGIN CERTIFICATE-----”）`,
    connectionRefused: (host, port) =>
      `无法连接到 ${hostPort(host, port)}：由于目标计算机积极拒绝，无法连接` +
      `（服务端启动了吗？先运行：${START_HINT}）`,
    unknownHost: (host) => `无法连接：找不到主机“${host}”`,
    invalidHost: (host) => `无法连接：“${host}”不是有效的主机名`,
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
  },
};

/**
 * A count and its noun, singular for exactly 1 ("1 byte", "0 bytes", "0.5
 * seconds"). English only: the Chinese texts use a measure word, not a plural.
 */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The command that runs `script` with the network allowed and the user's own arguments. */
function netCommand(script: string, args: readonly string[], readable?: string): string {
  const read = readable === undefined ? "" : ` ${shellWords([`--allow-read=${readable}`])}`;
  return `deno run --allow-net${read} ${shellWords([script, ...args])}`;
}

/**
 * Whether a host is the address that means "every address of this machine"
 * (`0.0.0.0`, `::`): a server can listen there, but nobody can connect to it.
 *
 * @param host A host as given to `--host`.
 * @returns True for the unspecified IPv4 or IPv6 address, however written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAnyAddress } from "./texts.ts";
 * assert(isAnyAddress("0.0.0.0") && isAnyAddress("::") && !isAnyAddress("127.0.0.1"));
 * ```
 */
export function isAnyAddress(host: string): boolean {
  return /^0+(\.0+){3}$/.test(host) || (host.includes(":") && /^[0:]+$/.test(host));
}

/** The page's address as a browser on this machine opens it. */
function pageUrl(host: string, port: number, secure: boolean): string {
  return `${scheme(secure)}://${hostPort(isAnyAddress(host) ? "localhost" : host, port)}/`;
}

/** The page's scheme: `https` with `--tls-cert`. */
function scheme(secure: boolean): string {
  return secure ? "https" : "http";
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
