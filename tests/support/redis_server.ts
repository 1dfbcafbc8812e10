/**
 * A real redis-server for the tests of the chat room's `--redis`: started on
 * a free loopback port (never 6379, so a developer's own Redis is left
 * alone), saving nothing (or keeping an append-only file in a given folder),
 * speaking plaintext (or only TLS, for `rediss://`), waited for until it
 * answers `PING`, stopped, and started again on the same port. Tests skip themselves where redis-server is not installed.
 *
 * Nothing here needs a Redis client library: {@linkcode redisCommand} speaks
 * the few bytes of RESP a test needs over `Deno.connect`.
 *
 * @module
 */

import { LOOPBACK, unusedPort } from "./ports.ts";
import { WAIT_MS, within } from "./processes.ts";

/** Where Debian's package and a source build put the program. */
const CANDIDATES = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
/** Redis's own port: a developer's Redis may run there, so tests never touch it. */
const REDIS_DEFAULT_PORT = 6379;
/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_MS = 5000;
/** How often to try `PING` while redis-server starts (it is an outside process: polling it is all we can do). */
const POLL_MS = 25;
/** Bound on one `PING` while polling. */
const PING_MS = 1000;
/** Tries with another free port when the one picked was taken in the meantime. */
const PORT_ATTEMPTS = 3;
/** How much of redis-server's output to keep for error messages. */
const LOG_KEEP_CHARS = 16_384;

const encoder = new TextEncoder();
const CR = 0x0d;
const LF = 0x0a;

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

async function findRedisServer(): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command("sh", {
      args: ["-c", "command -v redis-server"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    const path = new TextDecoder().decode(stdout).trim();
    if (success && path.startsWith("/") && isFile(path)) return path;
  } catch {
    // no sh, or no permission to run it: look in the usual places
  }
  return CANDIDATES.find(isFile) ?? null;
}

/** Path of redis-server, or null when it is not installed. */
export const REDIS_SERVER: string | null = await findRedisServer();

/** Why Redis tests are skipped here, for their names; empty when they run. */
export const NO_REDIS_NOTE = REDIS_SERVER === null
  ? " (SKIPPED: no redis-server; install it with `apt-get install -y redis-server`)"
  : "";

/** Options for {@linkcode startRedis}. */
export interface StartRedisOptions {
  /** The port; by default a free one. Never 6379, never 0. */
  port?: number;
  /**
   * Keep the data in an append-only file in this folder (fsync'd on every
   * write), so it survives a restart; by default nothing is saved.
   */
  persistDir?: string;
  /**
   * Speak only TLS (`--port 0 --tls-port PORT`), with these PEM files; the
   * URL is then `rediss://localhost:PORT`. Clients need not show a certificate.
   */
  tls?: RedisTlsFiles;
  /** Require this password (`--requirepass`); `PING` then answers `-NOAUTH`, which counts as up. */
  password?: string;
}

/** The files of a TLS redis-server, as paths. */
export interface RedisTlsFiles {
  /** The server's certificate (PEM). */
  cert: string;
  /** Its private key (PEM). */
  key: string;
  /** The CA that issued it, also used to check the server while waiting for `PING`. */
  ca: string;
}

/** A redis-server started by {@linkcode startRedis}. */
export interface RedisProcess {
  /** Its port on 127.0.0.1; the same after `restart()`. */
  readonly port: number;
  /** `redis://127.0.0.1:PORT` (with `tls`: `rediss://localhost:PORT`), for `server.ts --redis`. */
  readonly url: string;
  /** Whether it runs now (false between `stop()` and `restart()`). */
  readonly running: boolean;
  /** What it printed (its log), the last 16 KiB, for failure messages. */
  log(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 5 s); does nothing if it is stopped. */
  stop(): Promise<void>;
  /** Stops it if it runs, then starts it again on the same port and folder, and waits for `PING`. */
  restart(): Promise<void>;
}

/**
 * Starts redis-server on 127.0.0.1 and waits until it answers `PING` with
 * `+PONG`. Call `stop()` in every test.
 *
 * @param options Port, persistence.
 * @returns The running server.
 * @throws If redis-server is not installed, exits, or does not answer within 10 s.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisProcess> {
  const { port } = options;
  if (port === 0 || port === REDIS_DEFAULT_PORT) {
    throw new Error(`startRedis: port ${port} is not allowed; leave it out to get a free one`);
  }
  for (let attempt = 1;; attempt++) {
    const redis = new LocalRedis(port ?? freePort(), options);
    try {
      await redis.restart();
      return redis;
    } catch (error) {
      // Another process took the free port between our check and redis-server's bind.
      const raced = port === undefined && /address already in use/i.test(redis.log());
      if (!raced || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

/**
 * Sends one command and returns the first line of the reply, such as
 * `+OK`, `+PONG`, `:3` or `-ERR ...` (for a bulk or array reply, only its
 * header line, such as `$5` or `*2`).
 *
 * @param port The Redis port on 127.0.0.1.
 * @param args The command and its arguments, as `redis-cli` takes them.
 * @returns The reply's first line without its "\r\n".
 * @example
 * ```ts ignore
 * assert.equal(await redisCommand(redis.port, "FLUSHALL"), "+OK");
 * ```
 */
export async function redisCommand(port: number, ...args: string[]): Promise<string> {
  return await sendCommand(port, args, WAIT_MS);
}

function freePort(): number {
  for (;;) {
    const port = unusedPort();
    if (port !== REDIS_DEFAULT_PORT) return port;
  }
}

async function sendCommand(
  port: number,
  args: readonly string[],
  ms: number,
  caCert?: string,
): Promise<string> {
  if (args.length === 0) throw new Error("redisCommand: no command");
  const request = `*${args.length}\r\n` +
    args.map((arg) => `$${encoder.encode(arg).length}\r\n${arg}\r\n`).join("");
  const conn: Deno.Conn = await within<Deno.Conn>(
    caCert === undefined
      ? Deno.connect({ hostname: LOOPBACK, port })
      : Deno.connectTls({ hostname: LOOPBACK, port, caCerts: [caCert] }),
    ms,
    `a connection to Redis on port ${port}`,
  );
  try {
    const bytes = encoder.encode(request);
    for (let written = 0; written < bytes.length;) {
      written += await conn.write(bytes.subarray(written));
    }
    return await within(firstLine(conn), ms, `Redis's reply to ${args[0]}`);
  } finally {
    conn.close();
  }
}

async function firstLine(conn: Deno.Conn): Promise<string> {
  const chunk = new Uint8Array(4096);
  let received = new Uint8Array(0);
  for (;;) {
    for (let i = 0; i + 1 < received.length; i++) {
      if (received[i] === CR && received[i + 1] === LF) {
        return new TextDecoder().decode(received.subarray(0, i));
      }
    }
    const n = await conn.read(chunk);
    if (n === null) throw new Error("Redis closed the connection before replying");
    const joined = new Uint8Array(received.length + n);
    joined.set(received);
    joined.set(chunk.subarray(0, n), received.length);
    received = joined;
  }
}

/** One redis-server, which `restart()` can start again and again on its port. */
class LocalRedis implements RedisProcess {
  readonly port: number;
  readonly url: string;
  readonly #persistDir: string | undefined;
  readonly #tls: RedisTlsFiles | undefined;
  readonly #password: string | undefined;
  #child: Deno.ChildProcess | null = null;
  #exit: Promise<Deno.CommandStatus> | null = null;
  #drained: Promise<void> = Promise.resolve();
  /** Where a non-persisting server runs (it writes nothing, but never in the project). */
  #scratchDir: string | null = null;
  #log = "";

  constructor(port: number, options: StartRedisOptions) {
    this.port = port;
    this.url = options.tls === undefined
      ? `redis://${LOOPBACK}:${port}`
      : `rediss://localhost:${port}`;
    this.#persistDir = options.persistDir;
    this.#tls = options.tls;
    this.#password = options.password;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  log(): string {
    return this.#log;
  }

  async restart(): Promise<void> {
    if (REDIS_SERVER === null) throw new Error("redis-server is not installed");
    await this.stop();
    let dir = this.#persistDir;
    if (dir === undefined) {
      dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "redis-test-" });
      this.#scratchDir = dir;
    }
    const storage = this.#persistDir === undefined
      ? ["--appendonly", "no"]
      : ["--appendonly", "yes", "--appendfsync", "always"];
    const tls = this.#tls;
    const listen = tls === undefined ? ["--port", String(this.port)] : [
      "--port",
      "0", // no plaintext port at all
      "--tls-port",
      String(this.port),
      "--tls-cert-file",
      tls.cert,
      "--tls-key-file",
      tls.key,
      "--tls-ca-cert-file",
      tls.ca,
      "--tls-auth-clients",
      "no",
    ];
    const password = this.#password === undefined ? [] : ["--requirepass", this.#password];
    const child = new Deno.Command(REDIS_SERVER, {
      args: [
        ...listen,
        ...password,
        "--bind",
        LOOPBACK,
        "--protected-mode",
        "no",
        "--save",
        "",
        ...storage,
        "--dir",
        dir,
        "--logfile",
        "", // the log goes to stdout, which is drained into log()
        "--daemonize",
        "no",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#exit = child.status;
    this.#drained = Promise.all([this.#drain(child.stdout), this.#drain(child.stderr)]).then(
      () => {},
    );
    try {
      await this.#waitUntilReady(this.#exit);
    } catch (error) {
      await this.stop();
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`redis-server on port ${this.port} did not start: ${why}\n${this.#log}`);
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    const exit = this.#exit;
    if (child === null || exit === null) return;
    this.#child = null;
    this.#exit = null;
    try {
      child.kill("SIGTERM");
    } catch {
      // it exited already
    }
    try {
      await within(exit, STOP_MS, "redis-server to exit after SIGTERM");
    } catch {
      try {
        child.kill("SIGKILL");
      } catch {
        // it exited just now
      }
      await exit;
    }
    await this.#drained;
    if (this.#scratchDir !== null) {
      await Deno.remove(this.#scratchDir, { recursive: true }).catch(() => {});
      this.#scratchDir = null;
    }
  }

  /** Tries `PING` until `+PONG`; fails at once if the process exits, and after WAIT_MS. */
  async #waitUntilReady(exit: Promise<Deno.CommandStatus>): Promise<void> {
    const process: { exited: Deno.CommandStatus | null } = { exited: null };
    exit.then((status) => process.exited = status);
    const deadline = performance.now() + WAIT_MS;
    let last = "no answer yet";
    const caCert = this.#tls === undefined ? undefined : await Deno.readTextFile(this.#tls.ca);
    const up = (reply: string) =>
      reply === "+PONG" || (this.#password !== undefined && reply.startsWith("-NOAUTH"));
    for (;;) {
      if (process.exited !== null) throw new Error(`it exited with code ${process.exited.code}`);
      try {
        // A refused connection means "not yet"; `-LOADING` means it is reading its file.
        const reply = await sendCommand(this.port, ["PING"], PING_MS, caCert);
        if (up(reply)) return;
        last = reply;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (performance.now() > deadline) {
        throw new Error(`no +PONG within ${WAIT_MS} ms (last: ${last})`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async #drain(stream: ReadableStream<Uint8Array>): Promise<void> {
    try {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        this.#log = (this.#log + text).slice(-LOG_KEEP_CHARS);
      }
    } catch {
      // the pipe broke with the process; what was read is kept
    }
  }
}
