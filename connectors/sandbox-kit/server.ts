// The HTTP side of a simulator's in-process handle: the server and its sockets,
// listen/close, the timer that lets simulated days pass on their own, and the
// clock and request-log members every handle shares. Each tool routes requests.
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { SimClock } from './clock';
import { Reply, sendReply } from './http';

/** What the host needs of a simulator's state. */
export interface HostedState<LogEntry> {
  readonly clock: SimClock;
  readonly log: LogEntry[];
  baseUrl: string;
}

export abstract class SandboxHost<LogEntry extends object> {
  url = '';
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly dateTimer: NodeJS.Timeout;

  /** `scanDates` fires what became due when simulated days pass (real time × timeScale, or a clock move). */
  protected constructor(
    private readonly hosted: HostedState<LogEntry>,
    private readonly scanDates: () => void,
  ) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.dateTimer = setInterval(() => this.scanDates(), 1000);
    this.dateTimer.unref();
  }

  /** Serves one request (control API or the tool's API). */
  protected abstract route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** The tool's 500 body when a handler throws. */
  protected abstract errorReply(message: string): Reply;
  /** Stops webhook deliveries on close. */
  protected abstract stopDeliveries(): void;

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    try {
      await this.route(req, res, url);
    } catch (err) {
      if (!res.headersSent) sendReply(res, this.errorReply(`sandbox error: ${(err as Error).message}`));
      else res.destroy();
    }
  }

  setClock(now: Date): void {
    if (Number.isNaN(now.getTime())) throw new Error('setClock needs a valid date');
    this.hosted.clock.set(now);
    this.scanDates();
  }

  advanceClock(ms: number): void {
    this.hosted.clock.advance(ms);
    this.scanDates();
  }

  now(): Date {
    return new Date(this.hosted.clock.now());
  }

  requestLog(): LogEntry[] {
    return this.hosted.log.map((e) => ({ ...e }));
  }

  clearRequestLog(): void {
    this.hosted.log.length = 0;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address() as AddressInfo;
        this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
        this.hosted.baseUrl = this.url;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    clearInterval(this.dateTimer);
    this.stopDeliveries();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
