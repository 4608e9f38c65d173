/**
 * The local stand-in for EventBridge Scheduler: runs the synthesized cron expression in the company
 * time zone with croner and hands each tick its *scheduled* time (like Scheduler's
 * <aws.scheduler.scheduled-time>), not the moment the timer happened to fire.
 */
import type { Cron } from 'croner';
import { eventBridgeCronJob } from '../../workflows/cron.js';

export interface LocalSchedulerOptions {
  /** EventBridge cron expression, e.g. dunningEventBridgeCron(cfg) → "cron(0 9 ? * TUE,FRI *)". */
  cron: string;
  /** IANA time zone, e.g. Europe/Moscow. */
  timeZone: string;
  /** Called once per occurrence. A tick still running when the next one is due makes that one skip. */
  onTick(scheduledTime: Date): void | Promise<void>;
  /** Errors thrown by onTick (default: written to stderr; the scheduler keeps going). */
  onError?(err: unknown, scheduledTime: Date): void;
  /** Let the process exit while only the scheduler is left (default false). */
  unref?: boolean;
}

export interface LocalScheduler {
  /** The croner pattern the expression was converted to. */
  readonly pattern: string;
  /** The next scheduled instant, or null when the schedule is exhausted or stopped. */
  next(): Date | null;
  /** Stops for good; idempotent. */
  stop(): void;
}

/** Throws ConfigError (from the converter) for an expression or time zone that cannot run. */
export function startLocalScheduler(opts: LocalSchedulerOptions): LocalScheduler {
  const onError =
    opts.onError ??
    ((err: unknown, at: Date) => {
      process.stderr.write(`local scheduler: the run scheduled for ${at.toISOString()} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    });
  // A paused evaluator: used only to read the schedule (never runs a callback).
  const evaluator = eventBridgeCronJob(opts.cron, opts.timeZone, { paused: true });

  const job: Cron = eventBridgeCronJob(opts.cron, opts.timeZone, { protect: true, unref: opts.unref ?? false });
  job.schedule(async () => {
    // croner fires at (or just after) the occurrence; the occurrence is the latest one not after now.
    const firedAt = Date.now();
    const scheduled = evaluator.previousRuns(1, new Date(firedAt + 1))[0] ?? new Date(firedAt);
    try {
      await opts.onTick(scheduled);
    } catch (err) {
      onError(err, scheduled);
    }
  });

  return {
    pattern: job.getPattern() ?? '',
    next: () => job.nextRun(),
    stop: () => job.stop(),
  };
}
