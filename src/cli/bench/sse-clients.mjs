// SSE clients for the `sse` benchmark, run in child processes so that reading
// 10,000 streams neither shares the event loop of the server being measured
// nor counts in its CPU. Raw sockets, no EventSource library: each client
// sends its GET, waits for `event: ready`, then scans what arrives for the
// dashboard events' `"at":` (the publisher's clock, the same machine) and
// notes now − at for each. Kept cheap (bytes, no strings or regexes per
// message): with thousands of streams per process, the reading itself is
// part of the measured latency.
//
// Messages: in {tokens, port, path, concurrency} → out {type: "connected",
// connected, failed, seconds}; in {type: "finish"} → out {type: "result",
// latencies: number[], ended}.
import net from "node:net";

const now = () => performance.timeOrigin + performance.now();
const AT = Buffer.from('"at":');

const latencies = [];
let ended = 0;
const sockets = [];

/** Notes every `"at":<digits>` in a chunk (a message never spans two: each is
 *  one small write, and the few that would are counted as missed). */
function scan(chunk, arrived) {
  let i = chunk.indexOf(AT);
  while (i >= 0) {
    let j = i + AT.length;
    let at = 0;
    for (let c = chunk[j]; c >= 48 && c <= 57; c = chunk[++j]) at = at * 10 + (c - 48);
    if (j > i + AT.length) latencies.push(arrived - at);
    i = chunk.indexOf(AT, j);
  }
}

function open(port, path, token) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let head = "";
    let ready = false;
    socket.on("connect", () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: gongzhi_session=${token}\r\naccept: text/event-stream\r\n\r\n`,
      );
    });
    socket.on("data", (chunk) => {
      if (ready) {
        scan(chunk, now());
        return;
      }
      head += chunk.toString("utf8");
      if (!head.startsWith("HTTP/1.1 200")) {
        if (head.includes("\r\n\r\n")) {
          socket.destroy();
          resolve(false);
        }
        return;
      }
      if (!head.includes("event: ready")) return;
      ready = true;
      head = "";
      resolve(true);
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      if (ready) ended++;
      else resolve(false);
    });
    sockets.push(socket);
  });
}

process.on("message", async (m) => {
  if (m.type === "finish") {
    for (const s of sockets) s.destroy();
    // The parent ends this process once it has the (large) answer.
    process.send?.({ type: "result", latencies, ended });
    return;
  }
  const started = now();
  let connected = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < m.tokens.length) {
      const token = m.tokens[next++];
      if (await open(m.port, m.path, token)) connected++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, worker));
  process.send?.({
    type: "connected",
    connected,
    failed,
    seconds: (now() - started) / 1000,
  });
});
