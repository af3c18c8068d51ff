/**
 * A TCP proxy between the app and PostgreSQL that the test can take down, so
 * that "PostgreSQL restarts" can be played without touching the machine's
 * real server (other tests and CI use it):
 *
 * - `up`: every connection is passed through to PostgreSQL;
 * - `down()`: every open connection is cut and new ones are refused
 *   (ECONNREFUSED), as when the server has stopped;
 * - `starting()`: new connections are answered with the FATAL error 57P03
 *   "the database system is starting up", as PostgreSQL does while it
 *   recovers, then closed;
 * - `up()`: back to passing through.
 */
import net from "node:net";

export type ProxyState = "up" | "down" | "starting";

export interface PgProxy {
  port: number;
  state(): ProxyState;
  /** connections passed through since start */
  connections(): number;
  down(): Promise<void>;
  starting(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A FATAL ErrorResponse message of the PostgreSQL wire protocol. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    ...[
      ["S", "FATAL"],
      ["V", "FATAL"],
      ["C", code],
      ["M", message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`, "utf8")),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write("E", 0, "ascii");
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

export async function startPgProxy(target: { host: string; port: number }): Promise<PgProxy> {
  let state: ProxyState = "up";
  let passed = 0;
  const open = new Set<net.Socket>();

  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => {});
    if (state === "starting") {
      // Wait for the startup message, then refuse it as a recovering server would.
      client.once("data", () => client.end(fatal("57P03", "the database system is starting up")));
      return;
    }
    passed++;
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const cutAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    state: () => state,
    connections: () => passed,
    async down() {
      state = "down";
      const closed = stopListening();
      cutAll();
      await closed;
    },
    async starting() {
      state = "starting";
      if (!server.listening) await listen(port);
    },
    async up() {
      state = "up";
      if (!server.listening) await listen(port);
    },
    async close() {
      state = "down";
      const closed = stopListening();
      cutAll();
      await closed;
    },
  };
}
