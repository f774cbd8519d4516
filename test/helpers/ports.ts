/**
 * Ports for the tests: a free one for a server a test starts, and whether one still listens.
 * Written here rather than taken from infra/local, so that "nothing is left listening" is checked
 * by other code than the code that stops servers.
 */
import { connect, createServer } from 'node:net';

/** A port of 127.0.0.1 that was free a moment ago: the system's pick for a listener on port 0. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Whether something accepts connections on the port of 127.0.0.1. */
export const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(Boolean(socket.destroy())));
    socket.once('error', () => resolve(false));
  });
