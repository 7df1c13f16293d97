import { createRequire } from 'node:module';

/**
 * Unix datagram sockets (AF_UNIX, SOCK_DGRAM), which Node cannot open by itself: the optional
 * native package `unix-dgram` does it. This is the one file that loads it, on first use, so the
 * package loads (and degrades) on machines where the native build is missing.
 *
 * Only path addresses: unix-dgram copies the address with strncpy and a fixed length, so an
 * abstract address (a leading NUL byte) cannot be expressed through it.
 */
export interface UnixDatagram {
  /**
   * Sends one datagram to the socket bound at `path`. Opens a socket for this one message and
   * closes it again: an open unix-dgram socket keeps the event loop alive (its poll handle cannot
   * be unref'd), and a per-message socket also survives the receiver being re-created. Rejects
   * with the errno error (ENOENT, ECONNREFUSED, EAGAIN as "congestion", ...); never throws.
   */
  send(path: string, message: Buffer): Promise<void>;
  /**
   * Binds a receiving socket at `path` (for tests and tools). The returned handle keeps the event
   * loop alive until `close()`. Rejects when the bind fails (EADDRINUSE, EACCES, ...).
   */
  listen(path: string, onMessage: (message: Buffer) => void): Promise<{ close(): void }>;
}

/** The part of unix-dgram's untyped API this file uses. */
interface DgramSocket {
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'listening', listener: () => void): void;
  on(event: 'message', listener: (msg: Buffer) => void): void;
  removeAllListeners(event: string): void;
  bind(path: string): void;
  send(buf: Buffer, offset: number, length: number, path: string, callback: (err?: Error) => void): void;
  close(): void;
}
interface DgramModule {
  createSocket(type: 'unix_dgram'): DgramSocket;
}

/**
 * Loads unix-dgram. Rejects (with the loader's error as `cause`) when the package or its native
 * build is absent, so callers can fall back.
 */
export async function loadUnixDatagram(): Promise<UnixDatagram> {
  let lib: DgramModule;
  try {
    // createRequire rather than import(): the package is CommonJS without types, and a failed
    // native load must surface here, as one rejection, not at module evaluation.
    lib = createRequire(import.meta.url)('unix-dgram') as DgramModule;
  } catch (err) {
    throw new Error(`the optional package unix-dgram cannot be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
  }
  return unixDatagramOf(lib);
}

function unixDatagramOf(lib: DgramModule): UnixDatagram {
  return {
    send: (path, message) =>
      new Promise<void>((resolve, reject) => {
        let socket: DgramSocket;
        try {
          socket = lib.createSocket('unix_dgram');
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        // Errors arrive through the send callback; a listener still guards against an 'error'
        // event crashing the process.
        socket.on('error', () => undefined);
        socket.send(message, 0, message.length, path, (err) => {
          try {
            socket.close();
          } catch {
            // The message went (or failed) already; a failed close leaks nothing worth reporting.
          }
          if (err === undefined || err === null) resolve();
          else reject(err);
        });
      }),
    listen: (path, onMessage) =>
      new Promise((resolve, reject) => {
        const socket = lib.createSocket('unix_dgram');
        socket.on('error', (err) => {
          socket.removeAllListeners('listening');
          try {
            socket.close();
          } catch {
            // Already closed by the failed bind.
          }
          reject(err);
        });
        socket.on('listening', () => {
          socket.removeAllListeners('error');
          socket.on('error', () => undefined);
          resolve({ close: () => socket.close() });
        });
        socket.on('message', onMessage);
        socket.bind(path);
      }),
  };
}
