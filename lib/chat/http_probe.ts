/**
 * A browser, or `curl`, pointed at the chat port: recognising its request
 * line, and the short HTTP answer it gets instead of a seat in the room.
 *
 * Without this, `GET / HTTP/1.1`, the User-Agent and every other header would
 * be posted to everyone (and kept in the history). The chat session holds a
 * new connection's first bytes a moment (see `ChatSession`), asks
 * {@linkcode httpRequestMethod} about its first line, and answers an HTTP
 * client with {@linkcode httpAnswer}: a redirect to the page with `--web`,
 * otherwise a plain-text pointer to nc, telnet and client.ts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { httpRequestMethod } from "./http_probe.ts";
 * assert(httpRequestMethod("GET / HTTP/1.1\r") === "GET");
 * assert(httpRequestMethod("get the door") === null);
 * ```
 *
 * @module
 */

/**
 * An HTTP/1.x request line (RFC 9112 section 3): one of the common methods, a
 * target without spaces, the version; a "\r" before the "\n" is allowed.
 */
const REQUEST_LINE =
  /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) [\x21-\x7e]+ HTTP\/1\.[0-9]\r?$/;
/** The Host header, on a line of its own. */
const HOST_HEADER = /(?:^|\n)host:[ \t]*([^\r\n]*)/i;
/** A host name we are willing to write back into a Location header (no injection). */
const PLAIN_HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;
/** An IPv6 literal, as it appears between the brackets of a Host header. */
const IPV6_HOST = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * The method of an HTTP request line, or null if `line` is not one.
 *
 * @param line The first line a client sent, without its "\n".
 * @returns `GET`, `HEAD`, ... or null.
 */
export function httpRequestMethod(line: string): string | null {
  return REQUEST_LINE.exec(line)?.[1] ?? null;
}

/**
 * Whether `head` holds a whole request head (the empty line after the headers).
 *
 * @param head The bytes received so far, decoded.
 * @returns True once the headers have ended.
 */
export function headEnded(head: string): boolean {
  return head.includes("\r\n\r\n") || head.includes("\n\n");
}

/**
 * The host name of the request's Host header (without its port), if it is a
 * plain name or address; null when missing or odd (then the caller uses the
 * address the client connected to).
 *
 * @param head The request head, decoded.
 * @returns `example.org`, `192.0.2.1`, `[::1]`, or null.
 */
export function requestHostName(head: string): string | null {
  const value = HOST_HEADER.exec(head)?.[1]?.trim();
  if (value === undefined || value === "") return null;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    const inside = value.slice(1, end);
    return end > 0 && IPV6_HOST.test(inside) ? `[${inside}]` : null;
  }
  const name = value.replace(/:[0-9]*$/, "");
  return PLAIN_HOST.test(name) ? name : null;
}

/**
 * A whole HTTP/1.1 response that closes the connection: a 302 to `location`
 * when there is one (for GET and HEAD), otherwise 400 with `body` as plain text.
 * HEAD gets the headers only.
 *
 * @param method The request's method.
 * @param body The text for a person (ends with "\n").
 * @param location Where the page is (`--web`), or null.
 * @returns The response's bytes.
 */
export function httpAnswer(method: string, body: string, location: string | null): Uint8Array {
  const content = new TextEncoder().encode(body);
  const redirect = location !== null && (method === "GET" || method === "HEAD");
  const head = [
    redirect ? "HTTP/1.1 302 Found" : "HTTP/1.1 400 Bad Request",
    ...(redirect ? [`Location: ${location}`] : []),
    "Content-Type: text/plain; charset=utf-8",
    `Content-Length: ${content.length}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  const headBytes = new TextEncoder().encode(head);
  if (method === "HEAD") return headBytes;
  const response = new Uint8Array(headBytes.length + content.length);
  response.set(headBytes);
  response.set(content, headBytes.length);
  return response;
}
