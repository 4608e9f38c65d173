/**
 * A small process supervisor for the local stack. Everything started (DynamoDB Local's JVM, local SES,
 * HTTP servers, the scheduler) registers how to stop it; on SIGINT / SIGTERM / an uncaught error the
 * supervisor stops them in reverse order of registration, each within a time limit, then exits with
 * 130 / 143 / 1. A second signal while stopping kills the registered child processes at once.
 *
 *   const sup = createSupervisor().install();
 *   const dynamo = await startDynamoLocal({ port });  sup.add('DynamoDB Local', dynamo.stop);
 *   const ses = await startLocalSes({ port });        sup.add('local SES', ses.stop);
 */
import type { ChildProcess } from 'node:child_process';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';

type StopFn = () => void | Promise<void>;

interface Entry {
  name: string;
  stop: StopFn;
  child?: ChildProcess;
}

/** What the supervisor listens on: `process` by default; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** The logging the supervisor needs; a Powertools Logger fits, so does a plain stderr writer. */
export interface SupervisorLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface SupervisorOptions {
  /** Ends the process (default process.exit). */
  exit?: (code: number) => void;
  /** Where signals and uncaught errors come from (default process). */
  signals?: SignalSource;
  /** Limit for each stop function (default 10 s); a stop that takes longer is abandoned. */
  stopTimeoutMs?: number;
  logger?: SupervisorLogger;
}

export interface Supervisor {
  /** Registers a stop function; returns a function that unregisters it. Added while stopping → stopped at once. */
  add(name: string, stop: StopFn): () => void;
  /** Registers a child process: SIGTERM, then SIGKILL after `killAfterMs` (default 5 s), awaiting its exit. */
  addChild(name: string, child: ChildProcess, opts?: { killAfterMs?: number }): () => void;
  /** Stops everything in reverse order; idempotent (later calls return the same promise). Never rejects. */
  stopAll(reason?: string): Promise<void>;
  /** stopAll, then exit with `code`. */
  shutdown(code: number, reason: string): Promise<void>;
  /** Installs the SIGINT (130), SIGTERM (143), uncaughtException / unhandledRejection (1) and exit handlers. */
  install(): Supervisor;
  /** Removes the handlers install() added. */
  uninstall(): void;
  readonly stopping: boolean;
}

export const EXIT_CODE_SIGINT = 130;
export const EXIT_CODE_SIGTERM = 143;

/** Stops a child: SIGTERM, SIGKILL after killAfterMs, resolves when it has exited. */
export function stopChild(child: ChildProcess, killAfterMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (!child.kill('SIGTERM') && (child.exitCode !== null || child.signalCode !== null)) {
      clearTimeout(timer);
      resolve();
    }
  });
}

function powertoolsLogger(): SupervisorLogger {
  const pt = new Logger({ serviceName: 'claimflow-local' });
  return {
    info: (m, extra) => (extra ? pt.info(m, extra as LogAttributes) : pt.info(m)),
    warn: (m, extra) => (extra ? pt.warn(m, extra as LogAttributes) : pt.warn(m)),
    error: (m, extra) => (extra ? pt.error(m, extra as LogAttributes) : pt.error(m)),
  };
}

export function createSupervisor(opts: SupervisorOptions = {}): Supervisor {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const signals: SignalSource = opts.signals ?? (process as unknown as SignalSource);
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const logger: SupervisorLogger = opts.logger ?? powertoolsLogger();
  const entries: Entry[] = [];
  let stopPromise: Promise<void> | undefined;
  let installed: { event: string; fn: (...a: unknown[]) => void }[] = [];

  const runStop = async (e: Entry) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(e.stop),
        new Promise<void>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not stop within ${stopTimeoutMs} ms`)), stopTimeoutMs);
        }),
      ]);
    } catch (err) {
      logger.warn(`could not stop ${e.name} cleanly`, { error: err as Error });
      if (e.child && e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGKILL');
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  const register = (entry: Entry) => {
    if (stopPromise) {
      // Too late to keep it: the stack is going down.
      void runStop(entry);
      return () => {};
    }
    entries.push(entry);
    return () => {
      const i = entries.indexOf(entry);
      if (i >= 0) entries.splice(i, 1);
    };
  };

  const killChildrenNow = () => {
    for (const e of entries) {
      if (e.child && e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGKILL');
    }
  };

  const sup: Supervisor = {
    get stopping() {
      return stopPromise !== undefined;
    },
    add: (name, stop) => register({ name, stop }),
    addChild: (name, child, o) => register({ name, child, stop: () => stopChild(child, o?.killAfterMs) }),
    stopAll(reason = 'stop requested') {
      if (!stopPromise) {
        stopPromise = (async () => {
          logger.info(`stopping ${entries.length} local service(s): ${reason}`);
          for (const e of [...entries].reverse()) await runStop(e);
        })();
      }
      return stopPromise;
    },
    async shutdown(code, reason) {
      await sup.stopAll(reason);
      exit(code);
    },
    install() {
      if (installed.length > 0) return sup;
      const onSignal = (name: string, code: number) => () => {
        if (stopPromise) {
          logger.warn(`${name} again: killing the remaining child processes`);
          killChildrenNow();
          exit(code);
          return;
        }
        void sup.shutdown(code, name);
      };
      const onFatal = (kind: string) => (err: unknown) => {
        logger.error(`${kind}: stopping the local stack`, { error: err instanceof Error ? err : new Error(String(err)) });
        if (stopPromise) return;
        void sup.shutdown(1, kind);
      };
      installed = [
        { event: 'SIGINT', fn: onSignal('SIGINT', EXIT_CODE_SIGINT) },
        { event: 'SIGTERM', fn: onSignal('SIGTERM', EXIT_CODE_SIGTERM) },
        { event: 'uncaughtException', fn: onFatal('uncaught exception') },
        { event: 'unhandledRejection', fn: onFatal('unhandled rejection') },
        // Last resort when something calls process.exit directly: children must not outlive us.
        { event: 'exit', fn: killChildrenNow },
      ];
      for (const h of installed) signals.on(h.event, h.fn);
      return sup;
    },
    uninstall() {
      for (const h of installed) signals.off(h.event, h.fn);
      installed = [];
    },
  };
  return sup;
}
