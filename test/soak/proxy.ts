/**
 * A TCP fault proxy: forwards every connection to one upstream (PostgreSQL, or the simulated
 * API) and can cut all of them at once, the way a network partition, a NAT timeout or a load
 * balancer failover does. Either side closing closes the other, so a killed client's server
 * session ends as it would without the proxy.
 */
import net from 'node:net';

export interface FaultProxy {
  port: number;
  /** Destroys every open connection (both sides, with a TCP reset); returns how many there were. */
  cut(): number;
  /** Connections forwarded since the start. */
  readonly connections: number;
  /** Connections open now. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: { host: string; port: number }): Promise<FaultProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const server = net.connect(upstream.port, upstream.host);
    const pair: [net.Socket, net.Socket] = [client, server];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(server);
    server.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    get open() {
      return pairs.size;
    },
    cut() {
      const count = pairs.size;
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        for (const socket of pair) {
          try {
            socket.resetAndDestroy();
          } catch {
            socket.destroy();
          }
        }
      }
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) for (const socket of pair) socket.destroy();
        pairs.clear();
        server.close(() => resolve());
      }),
  };
}
