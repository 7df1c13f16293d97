import { type ChildProcess, spawn } from 'node:child_process';
import { loadUnixDatagram } from '../../../src/platform/unix-datagram.js';

/**
 * A fake systemd notify socket: records every datagram, without systemd-notify's BARRIER=1
 * handshakes (whose file descriptor the kernel closes when the receiver does not take it, which
 * is what releases the sender).
 */
export interface NotifyReceiver {
  /** The NOTIFY_SOCKET value that reaches it. */
  readonly address: string;
  readonly messages: string[];
  close(): void;
}

function keep(messages: string[], text: string): void {
  if (text !== 'BARRIER=1') messages.push(text);
}

/** A receiver bound at a path, through unix-dgram. */
export async function pathReceiver(path: string): Promise<NotifyReceiver> {
  const messages: string[] = [];
  const handle = await (await loadUnixDatagram()).listen(path, (m) => keep(messages, m.toString('utf8')));
  return { address: path, messages, close: () => handle.close() };
}

/**
 * A receiver on an abstract socket (`@name`), which unix-dgram cannot bind: a python3 child
 * that prints each datagram as a JSON string on a line. Resolves once it is bound.
 */
export function abstractReceiver(name: string): Promise<NotifyReceiver> {
  const script = [
    'import socket, sys, json',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind("\\0" + sys.argv[1])',
    'print("bound", flush=True)',
    'while True:',
    '    print(json.dumps(s.recv(65536).decode()), flush=True)',
  ].join('\n');
  const child: ChildProcess = spawn('python3', ['-c', script, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: string[] = [];
  return new Promise((resolve, reject) => {
    let partial = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`python3 receiver exited with ${code ?? 'a signal'}`)));
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'bound') resolve({ address: `@${name}`, messages, close: () => void child.kill('SIGKILL') });
        else keep(messages, JSON.parse(line) as string);
      }
    });
  });
}
