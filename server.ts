/**
 * The TCP server of the tutorial, for many clients at once.
 *
 *     deno run --allow-net server.ts [options]      (--help lists them)
 *
 * This file only reads the options, opens the socket and reports errors; the
 * server itself is `lib/server/server_core.ts`.
 *
 * @module
 */

import { peekLang, runMain, UsageError } from "./lib/cli/cli_args.ts";
import { Logger } from "./lib/log/logger.ts";
import { hostPort, isAnyAddress, TEXTS, type Texts } from "./lib/text/texts.ts";
import { CHAT_TEXTS } from "./lib/chat/chat_texts.ts";
import { CLI_TEXTS } from "./lib/cli/cli_texts.ts";
import { describeError, isHostNotFound, isPermissionError } from "./lib/stream/net_errors.ts";
import { findFreePort, isPortFree } from "./lib/stream/port_check.ts";
import { serve } from "./lib/server/server_core.ts";
import { parseServerArgs, type ServerCommand } from "./lib/cli/server_options.ts";
import { VERSION } from "./lib/settings/version.ts";
import { WebServer } from "./lib/web/web_server.ts";
import { RedisBus } from "./lib/redis/redis_bus.ts";
import { MIN_OPERATOR_KEY_LENGTH, newOperatorKey } from "./lib/chat/operators.ts";
import { MIN_ROOM_KEY_LENGTH } from "./lib/chat/room_key.ts";
import { checkTlsPair, InvalidTlsMaterial, listenTls } from "./lib/stream/tls_listener.ts";
import type { ConnListener } from "./lib/stream/connection_io.ts";
import { TLS_HANDSHAKE_MS } from "./lib/settings/defaults.ts";

/** Exit codes: 0 done, 1 could not serve (or port in use for --check), 2 bad usage. */
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
/** Exit code after a second stop signal, as a shell reports a process ended by SIGINT. */
const EXIT_INTERRUPTED = 130;
/** At exit, how long to wait for log lines to be written when nobody reads them. */
const LOG_FLUSH_MS = 400;

/**
 * Runs the server as `deno run --allow-net server.ts` does.
 *
 * @param args Command-line arguments.
 * @returns The exit code.
 */
export async function main(args: readonly string[]): Promise<number> {
  let command: ServerCommand;
  try {
    command = parseServerArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const lang = peekLang(args);
    console.error(CLI_TEXTS[lang].usageError(error.messageIn(lang), "server.ts"));
    return EXIT_USAGE;
  }
  const texts = TEXTS[command.lang];
  if (command.action === "help") return print(CLI_TEXTS[command.lang].serverHelp);
  if (command.action === "version") return print(`server.ts ${VERSION}`);

  const { host, port } = command;
  if (command.action === "check") {
    try {
      const free = isPortFree(host, port);
      console.log(free ? texts.portFree(host, port) : texts.portTaken(host, port));
      return free ? EXIT_OK : EXIT_FAILURE;
    } catch (error) {
      console.error(explainListenError(error, command, args, texts));
      return EXIT_FAILURE;
    }
  }

  // The files it reads (the operator key, the TLS certificate and key), before anything listens.
  const files = readStartFiles(command, args, texts);
  if (typeof files === "number") return files;
  const { operatorKey, roomKey, tls } = files;
  if (tls !== undefined) {
    try {
      const facts = checkTlsPair(tls.cert, tls.key);
      if (facts.isCa) console.error(texts.tlsCertWarning(command.tlsCertFile!, "ca"));
      if (facts.validTo.getTime() < Date.now()) {
        console.error(texts.tlsCertWarning(command.tlsCertFile!, "expired"));
      }
    } catch (error) {
      if (!(error instanceof InvalidTlsMaterial)) throw error;
      console.error(
        texts.invalidTlsFiles(command.tlsCertFile!, command.tlsKeyFile!, error.message),
      );
      return EXIT_FAILURE;
    }
  }

  const log = new Logger({
    quiet: command.quiet,
    trace: command.trace,
    skippedNotice: texts.logSkipped,
  });
  const listeners: ConnListener[] = [];
  const closeListeners = () => listeners.forEach((listener) => listener.close());
  let web: WebServer | undefined;
  try {
    listeners.push(
      tls === undefined ? Deno.listen({ hostname: host, port }) : await listenTls({
        hostname: host,
        port,
        ...tls,
        handshakeTimeoutMs: TLS_HANDSHAKE_MS,
        maxHandshakes: command.maxConnections,
        // A class behind one NAT connects at once: as many as --max-per-address allows, or 64.
        maxHandshakesPerAddress: command.maxPerAddress === 0 ? 64 : command.maxPerAddress,
        onRefused: (peer, why, detail) =>
          log.info(texts.refusedLog(
            hostPort(peer.hostname, peer.port),
            why === "denied"
              ? texts.addressDeniedReason // the same line as after a handshake
              : texts.tlsRefusedReason(why, detail, TLS_HANDSHAKE_MS / 1000),
          )),
      }),
    );
  } catch (error) {
    console.error(
      error instanceof InvalidTlsMaterial
        ? texts.invalidTlsFiles(command.tlsCertFile!, command.tlsKeyFile!, error.message)
        : explainListenError(error, command, args, texts),
    );
    return EXIT_FAILURE;
  }
  if (command.plainPort !== null) {
    try {
      listeners.push(Deno.listen({ hostname: host, port: command.plainPort }));
    } catch (error) {
      closeListeners();
      const plain = { host, port: command.plainPort };
      console.error(explainListenError(error, plain, args, texts, "--plain-port"));
      return EXIT_FAILURE;
    }
  }
  if (command.webPort !== null) {
    try {
      web = new WebServer(host, command.webPort, command.lang, tls);
    } catch (error) {
      closeListeners();
      console.error(
        explainListenError(error, { host, port: command.webPort }, args, texts, "--web"),
      );
      return EXIT_FAILURE;
    }
  }

  // --redis: connected (or trying) before the ready line, so that clients meet the whole room.
  const bus = command.redisUrl === null ? undefined : await RedisBus.open({
    url: command.redisUrl,
    room: command.room,
    maxLineBytes: command.maxLineBytes,
    historySize: command.historySize,
    log,
    texts: CHAT_TEXTS[command.lang],
  });
  const startHistory = bus === undefined ? [] : await bus.history().catch(() => []);
  const [main, plain] = listeners;
  log.always(
    tls === undefined ? texts.ready(host, main!.addr.port) : texts.readyTls(host, main!.addr.port),
  );
  if (plain !== undefined) log.always(texts.plainReady(host, plain.addr.port));
  if (web !== undefined) {
    log.always(texts.webReady(host, web.port, web.secure));
    if (isAnyAddress(host)) log.always(texts.webReadyOthers(web.port, web.secure));
  }
  if (operatorKey !== undefined) log.always(CHAT_TEXTS[command.lang].operatorKey(operatorKey));
  bus?.startLogging(); // linked, or still trying: after the ready lines

  const stop = new AbortController();
  const onSignal = (signal: Deno.Signal) => () => {
    if (stop.signal.aborted) {
      // A second Ctrl+C means "now": skip the goodbyes and the summary. A second SIGHUP does
      // not: a closed terminal can send two (the kernel's, and the shell's to its jobs).
      if (signal !== "SIGHUP") Deno.exit(EXIT_INTERRUPTED);
      return;
    }
    log.info(texts.stopping(signal));
    stop.abort();
  };
  // SIGHUP: the terminal was closed. Without a listener it would end the server on the spot.
  const signals = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((name) => {
    const handler = onSignal(name);
    Deno.addSignalListener(name, handler);
    return () => Deno.removeSignalListener(name, handler);
  });

  const stats = await serve(listeners, stop.signal, {
    mode: command.mode,
    lang: command.lang,
    maxConnections: command.maxConnections,
    maxLineBytes: command.maxLineBytes,
    idleTimeoutMs: command.idleTimeoutSeconds * 1000,
    strictLines: command.strictLines,
    historySize: command.historySize,
    maxBacklogBytes: command.maxBacklogBytes,
    rateLinesPerSecond: command.rateLinesPerSecond,
    maxPerAddress: command.maxPerAddress,
    maxJoinsPerMinute: command.maxJoinsPerMinute,
    trust: command.trust,
    allow: command.allow,
    deny: command.deny,
    logger: log,
    ...(web === undefined ? {} : { web }),
    ...(bus === undefined ? {} : { bus, startHistory }),
    ...(command.replyTemplate === null ? {} : { replyTemplate: command.replyTemplate }),
    ...(operatorKey === undefined ? {} : { operatorKey }),
    ...(roomKey === undefined ? {} : { roomKey }),
  });
  for (const remove of signals) remove();
  await bus?.close();
  log.always(texts.summary(stats.summary()));
  await log.flush(LOG_FLUSH_MS);
  return EXIT_OK;
}

/** What the server reads at start. */
interface StartFiles {
  /** Chat mode: the operator key (`--op-key-file`'s, or a fresh one). */
  operatorKey?: string;
  /** Chat mode with `--key-file`: the room's key. */
  roomKey?: string;
  /** `--tls-cert` and `--tls-key`, as PEM text. */
  tls?: { cert: string; key: string };
}

/**
 * Reads the files the command names (`--op-key-file`, `--key-file`,
 * `--tls-cert`, `--tls-key`). Without the permission to read them, one line names the
 * command with `--allow-read` for all of them at once. Problems are printed
 * here: an exit code comes back instead of the files.
 */
function readStartFiles(
  command: ServerCommand,
  args: readonly string[],
  texts: Texts,
): StartFiles | number {
  const chat = command.mode === "chat";
  const keyFile = chat ? command.opKeyFile : null;
  const roomKeyFile = chat ? command.keyFile : null;
  const { tlsCertFile, tlsKeyFile } = command;
  const wanted = [keyFile, roomKeyFile, tlsCertFile, tlsKeyFile].filter((file) => file !== null);
  const contents = new Map<string, string>();
  for (const file of wanted) {
    try {
      contents.set(file, Deno.readTextFileSync(file));
    } catch (error) {
      if (isPermissionError(error)) {
        console.error(texts.needReadPermission([...new Set(wanted)], "server.ts", args));
      } else {
        const detail = describeError(error);
        console.error(
          file === keyFile
            ? texts.cannotReadKeyFile(file, detail)
            : file === roomKeyFile
            ? texts.cannotReadRoomKeyFile(file, detail)
            : texts.cannotReadTlsFile(file, detail),
        );
      }
      return EXIT_FAILURE;
    }
  }
  const files: StartFiles = {};
  if (tlsCertFile !== null && tlsKeyFile !== null) {
    files.tls = { cert: contents.get(tlsCertFile)!, key: contents.get(tlsKeyFile)! };
  }
  if (!chat) return files;
  const short = (option: string, file: string, min: number): number => {
    const problem = new UsageError({ kind: "shortOperatorKey", option, file, min });
    console.error(CLI_TEXTS[command.lang].usageError(problem.messageIn(command.lang), "server.ts"));
    return EXIT_USAGE;
  };
  if (roomKeyFile !== null) {
    const key = firstLine(contents.get(roomKeyFile)!);
    if (key.length < MIN_ROOM_KEY_LENGTH) {
      return short("--key-file", roomKeyFile, MIN_ROOM_KEY_LENGTH);
    }
    files.roomKey = key;
  }
  if (keyFile === null) {
    files.operatorKey = newOperatorKey();
    return files;
  }
  const key = firstLine(contents.get(keyFile)!);
  if (key.length < MIN_OPERATOR_KEY_LENGTH) {
    return short("--op-key-file", keyFile, MIN_OPERATOR_KEY_LENGTH);
  }
  files.operatorKey = key;
  return files;
}

/** A key file's key: its first line, trimmed. */
function firstLine(text: string): string {
  return (text.split("\n", 1)[0] ?? "").trim();
}

/** One line for a failed listen: port in use (with a free one), permission, bad host. */
function explainListenError(
  error: unknown,
  command: Pick<ServerCommand, "host" | "port">,
  args: readonly string[],
  texts: Texts,
  option = "--port",
): string {
  const { host, port } = command;
  if (error instanceof Deno.errors.AddrInUse) {
    return texts.portInUse(host, port, findFreePort(host, port), option);
  }
  if (isPermissionError(error)) return texts.needNetPermission("server.ts", args);
  if (isHostNotFound(error)) return texts.cannotListen(host, port, texts.hostNotFoundDetail(host));
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return texts.cannotListen(host, port, texts.notLocalAddressDetail(host));
  }
  // A malformed host ("a b") fails Deno's own check with a URIError before any lookup.
  if (error instanceof URIError || error instanceof TypeError) {
    return texts.cannotListen(host, port, texts.invalidHostDetail(host));
  }
  return texts.cannotListen(host, port, describeError(error));
}

function print(text: string): number {
  console.log(text);
  return EXIT_OK;
}

if (import.meta.main) await runMain(main);
