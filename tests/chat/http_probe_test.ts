/**
 * Recognising an HTTP request line on the chat port, the Host header's name,
 * and the answer's bytes.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  headEnded,
  httpAnswer,
  httpRequestMethod,
  requestHostName,
} from "../../lib/chat/http_probe.ts";

const decoder = new TextDecoder();

Deno.test("httpRequestMethod() knows request lines of HTTP/1.x, with or without \\r", () => {
  assert.equal(httpRequestMethod("GET / HTTP/1.1\r"), "GET");
  assert.equal(httpRequestMethod("HEAD /favicon.ico HTTP/1.0"), "HEAD");
  assert.equal(httpRequestMethod("CONNECT example.org:443 HTTP/1.1\r"), "CONNECT");
  for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"]) {
    assert.equal(httpRequestMethod(`${method} /x?y=1 HTTP/1.1`), method);
  }
});

Deno.test("httpRequestMethod() leaves people's lines alone", () => {
  for (
    const line of [
      "GET over here",
      "get / http/1.1",
      "GET / HTTP/2",
      "GET  / HTTP/1.1",
      "GET / HTTP/1.1 please",
      "I GET / HTTP/1.1",
      "FETCH / HTTP/1.1",
      "GET /中文 HTTP/1.1",
      "",
    ]
  ) {
    assert.equal(httpRequestMethod(line), null, line);
  }
});

Deno.test("headEnded() sees the empty line after the headers", () => {
  assert.equal(headEnded("GET / HTTP/1.1\r\nHost: x\r\n"), false);
  assert.equal(headEnded("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), true);
  assert.equal(headEnded("GET / HTTP/1.1\nHost: x\n\n"), true);
});

Deno.test("requestHostName() takes the Host header's name without its port, and only a plain one", () => {
  assert.equal(requestHostName("GET / HTTP/1.1\r\nHost: example.org:50000\r\n\r\n"), "example.org");
  assert.equal(requestHostName("GET / HTTP/1.1\r\nhost:192.0.2.7\r\n\r\n"), "192.0.2.7");
  assert.equal(requestHostName("GET / HTTP/1.1\r\nHOST: [::1]:50000\r\n\r\n"), "[::1]");
  assert.equal(requestHostName("GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n"), null);
  assert.equal(requestHostName("GET / HTTP/1.1\r\nHost: \r\n\r\n"), null);
  assert.equal(requestHostName("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), null);
  assert.equal(requestHostName("GET / HTTP/1.1\r\nHost: x<script>\r\n\r\n"), null);
  assert.equal(requestHostName("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"), null);
  assert.equal(requestHostName("GET / HTTP/1.1\r\nX-Host: evil\r\n\r\n"), null);
});

Deno.test("httpAnswer(): a 302 to the page for GET, 400 otherwise, the body's length right, none for HEAD", () => {
  const page = "http://example.org:50001/";
  const redirect = decoder.decode(httpAnswer("GET", "see the page\n", page));
  assert.equal(
    redirect,
    "HTTP/1.1 302 Found\r\nLocation: http://example.org:50001/\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\nConnection: close\r\n\r\n" +
      "see the page\n",
  );
  const plain = decoder.decode(httpAnswer("POST", "聊天端口\n", null));
  assert.match(plain, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(plain, /\r\nContent-Length: 13\r\n/); // bytes, not characters
  assert.ok(plain.endsWith("\r\n\r\n聊天端口\n"));
  assert.ok(!plain.includes("Location"));
  const head = decoder.decode(httpAnswer("HEAD", "see the page\n", page));
  assert.match(head, /^HTTP\/1\.1 302 Found\r\n/);
  assert.ok(head.endsWith("Content-Length: 13\r\nConnection: close\r\n\r\n"), "no body for HEAD");
  const connect = decoder.decode(httpAnswer("CONNECT", "no\n", page));
  assert.match(connect, /^HTTP\/1\.1 400 /, "only GET and HEAD are sent to the page");
});
